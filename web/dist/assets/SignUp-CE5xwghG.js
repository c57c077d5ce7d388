import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,W as r,a as i,c as a,o,r as s,st as c,zt as l}from"./format-B7GgxVSy.js";import{d as u,m as d,n as f,p,r as m,s as h}from"./index-BdQcOUMt.js";import{t as g}from"./TextInput--rLRI2cJ.js";var _=e(l(),1),v=c(),y=o(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function b(){let e=d(),[o,c]=(0,_.useState)(``),[l,b]=(0,_.useState)(``),[x,S]=(0,_.useState)(``),[C,w]=(0,_.useState)(``),[T,E]=(0,_.useState)(null),[{fetching:D},O]=a(y);async function k(t){if(t.preventDefault(),E(null),!o.trim()){E(`Please enter the name of your business.`);return}let n=await O({input:{businessName:o.trim(),name:l.trim()||void 0,email:x.trim(),password:C}}),r=n.error?s(n.error):f(n.data?.signUp,`Creating the account did not work. Please try again.`);r?E(r):e(`/stock`,{replace:!0})}return(0,v.jsxs)(m,{title:`Create an account`,children:[(0,v.jsx)(`form`,{onSubmit:k,noValidate:!0,children:(0,v.jsxs)(t,{children:[(0,v.jsx)(i,{message:T}),(0,v.jsx)(g,{label:`Business name`,required:!0,autoComplete:`organization`,value:o,onChange:e=>c(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Your name`,autoComplete:`name`,value:l,onChange:e=>b(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Email`,type:`email`,required:!0,autoComplete:`email`,value:x,onChange:e=>S(e.currentTarget.value)}),(0,v.jsx)(h,{label:`Password`,required:!0,autoComplete:`new-password`,value:C,onChange:e=>w(e.currentTarget.value)}),(0,v.jsx)(n,{type:`submit`,loading:D,children:`Create account`})]})}),(0,v.jsxs)(r,{size:`sm`,children:[`Already have an account?`,` `,(0,v.jsx)(u,{component:p,to:`/sign-in`,children:`Sign in`})]})]})}export{b as default};