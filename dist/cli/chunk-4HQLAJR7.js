import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);
import{a}from"./chunk-J4DEGI2G.js";var c=a((e,n)=>t=>`\x1B[${e}m${t}\x1B[${n}m`,"sgr");function j(e){let n=a(t=>t,"plain");return e?{bold:c(1,22),dim:c(2,22),red:c(31,39),green:c(32,39),yellow:c(33,39),cyan:c(36,39)}:{bold:n,dim:n,red:n,green:n,yellow:n,cyan:n}}a(j,"style");function u(e){let n=0;for(let t of e.replace(/\u001b\[[0-9;]*m/g,"")){let r=t.codePointAt(0);r===65039||r>=768&&r<880||(n+=r>=127744||r>=9728&&r<10176&&r!==8594&&r!==8592?2:1)}return n}a(u,"width");var y=a((e,n)=>e+" ".repeat(Math.max(0,n-u(e))),"pad");function p(e,n){return e.replace(/<br\s*\/?>/g," / ").replace(/<\/?(sub|sup|code|b|strong|em|i)>/g,"").replace(/\[([^\]]+)\]\(([^)]+)\)/g,(t,r,i)=>`${r} (${i})`).replace(/\*\*([^*]+)\*\*/g,(t,r)=>n.bold(r)).replace(/``([^`]+)``|`([^`]+)`/g,(t,r,i)=>n.cyan(r??i??"")).replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g,(t,r,i)=>r+n.dim(i)).replace(/\\\|/g,"|")}a(p,"inline");function $(e){return e.trim().replace(/^\|/,"").replace(/\|$/,"").split(/(?<!\\)\|/).map(n=>n.trim())}a($,"cells");function w(e,n){let t=e.filter(s=>!/^\|(\s*:?-+:?\s*\|)+\s*$/.test(s.trim())).map(s=>$(s).map(o=>p(o,n))),r=Math.max(...t.map(s=>s.length)),i=Array.from({length:r},(s,o)=>Math.max(...t.map(g=>u(g[o]??""))));return t.map((s,o)=>{let g=i.map((m,l)=>y(s[l]??"",m)).join("  ").trimEnd();return o===0?n.bold(g):g})}a(w,"renderTable");function d(e,n){let t=[],r=e.split(`
`);for(let i=0;i<r.length;i++){let s=r[i],o=/^```(\w*)/.exec(s);if(o){let l=[];for(;++i<r.length&&!r[i].startsWith("```");)l.push(r[i]);o[1]==="mermaid"?t.push(n.dim("(diagram: in the job summary, or with --format markdown)")):t.push(...l.map(b=>`  ${b}`));continue}if(s.trim().startsWith("|")){let l=[];for(;i<r.length&&r[i].trim().startsWith("|");i++)l.push(r[i]);i--,t.push(...w(l,n));continue}let g=/^(#{1,6})\s+(.*)$/.exec(s);if(g){t.push(n.bold(p(g[2],n)));continue}let m=/<details>\s*<summary>(.*?)<\/summary>/.exec(s);if(m){t.push(n.bold(p(m[1],n)));continue}/^\s*<\/?details>\s*$/.test(s)||t.push(p(s,n))}return t.join(`
`).replace(/\n{3,}/g,`

`).trim()}a(d,"markdownToTerminal");function f(e){return String(e??"").replace(/\|/g,"\\|").replace(/\r?\n/g,"<br>")}a(f,"cell");function k(e,n){let t=`| ${e.map(f).join(" | ")} |`,r=`| ${e.map(()=>"---").join(" | ")} |`;return[t,r,...n.map(i=>`| ${i.map(f).join(" | ")} |`)].join(`
`)}a(k,"table");function M(e){return String(e??"").replace(/\r\n?|\n/g," ").replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/[\\`*_[\]~]/g,"\\$&").replace(/@/g,"@\u200D")}a(M,"text");function x(e){return Math.max(0,...(e.match(/`+/g)??[]).map(n=>n.length))}a(x,"longestTicks");function P(e){let n=String(e).replace(/\r\n?|\n/g," "),t="`".repeat(x(n)+1),r=/^`|`$/.test(n)?" ":"";return`${t}${r}${n}${r}${t}`}a(P,"code");function W(e,n){let t="`".repeat(Math.max(3,x(n)+1));return t+e+`
`+n+`
`+t}a(W,"fenced");function A(e,n){return`<details><summary>${e}</summary>

${n}

</details>`}a(A,"details");var h=class{static{a(this,"Summary")}parts=[];add(n,t={}){return this.parts.push({markdown:n,terminal:t.terminal}),this}heading(n,t=2){return this.add(`${"#".repeat(t)} ${n}`)}table(n,t){return this.add(k(n,t))}get empty(){return this.parts.length===0}toString(){return this.parts.map(n=>n.markdown).join(`

`)}get headline(){return this.parts[0]?.markdown.split(`
`)[0]??""}toTerminal(n){let[t,...r]=this.parts;return t?[{markdown:t.markdown.split(`
`).slice(1).join(`
`),terminal:t.terminal===""?"":void 0},...r].map(s=>s.terminal??d(s.markdown,n)).filter(s=>s!=="").join(`

`):""}};export{j as a,p as b,k as c,M as d,P as e,W as f,A as g,h};
