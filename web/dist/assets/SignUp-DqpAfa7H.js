import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,G as n,U as r,W as i,a,ct as o,l as s,o as c,r as l}from"./format-DQnp7__F.js";import{d as u,m as d,n as f,p,r as m,s as h}from"./index-DwJ7I-LU.js";import{t as g}from"./TextInput-BwmA1Jdp.js";var _=e(t(),1),v=o(),y=c(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function b(){let e=d(),[t,o]=(0,_.useState)(``),[c,b]=(0,_.useState)(``),[x,S]=(0,_.useState)(``),[C,w]=(0,_.useState)(``),[T,E]=(0,_.useState)(null),[{fetching:D},O]=s(y);async function k(n){if(n.preventDefault(),E(null),!t.trim()){E(`Please enter the name of your business.`);return}let r=await O({input:{businessName:t.trim(),name:c.trim()||void 0,email:x.trim(),password:C}}),i=r.error?l(r.error):f(r.data?.signUp,`Creating the account did not work. Please try again.`);i?E(i):e(`/stock`,{replace:!0})}return(0,v.jsxs)(m,{title:`Create an account`,children:[(0,v.jsx)(`form`,{onSubmit:k,noValidate:!0,children:(0,v.jsxs)(r,{children:[(0,v.jsx)(a,{message:T}),(0,v.jsx)(g,{label:`Business name`,required:!0,autoComplete:`organization`,value:t,onChange:e=>o(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Your name`,autoComplete:`name`,value:c,onChange:e=>b(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Email`,type:`email`,required:!0,autoComplete:`email`,value:x,onChange:e=>S(e.currentTarget.value)}),(0,v.jsx)(h,{label:`Password`,required:!0,autoComplete:`new-password`,value:C,onChange:e=>w(e.currentTarget.value)}),(0,v.jsx)(i,{type:`submit`,loading:D,children:`Create account`})]})}),(0,v.jsxs)(n,{size:`sm`,children:[`Already have an account?`,` `,(0,v.jsx)(u,{component:p,to:`/sign-in`,children:`Sign in`})]})]})}export{b as default};