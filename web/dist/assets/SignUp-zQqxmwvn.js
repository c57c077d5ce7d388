import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,W as i,a,c as o,o as s,r as c,st as l}from"./format-6nuVJGlS.js";import{f as u,h as d,m as f,n as p,r as m,s as h}from"./index-CH_7tqEK.js";import{t as g}from"./TextInput-pk_pqcFB.js";var _=e(n(),1),v=l(),y=s(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function b(){let e=d(),[n,s]=(0,_.useState)(``),[l,b]=(0,_.useState)(``),[x,S]=(0,_.useState)(``),[C,w]=(0,_.useState)(``),[T,E]=(0,_.useState)(null),[{fetching:D},O]=o(y);async function k(t){if(t.preventDefault(),E(null),!n.trim()){E(`Please enter the name of your business.`);return}let r=await O({input:{businessName:n.trim(),name:l.trim()||void 0,email:x.trim(),password:C}}),i=r.error?c(r.error):p(r.data?.signUp,`Creating the account did not work. Please try again.`);i?E(i):e(`/stock`,{replace:!0})}return(0,v.jsxs)(m,{title:`Create an account`,children:[(0,v.jsx)(`form`,{onSubmit:k,noValidate:!0,children:(0,v.jsxs)(t,{children:[(0,v.jsx)(a,{message:T}),(0,v.jsx)(g,{label:`Business name`,required:!0,autoComplete:`organization`,value:n,onChange:e=>s(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Your name`,autoComplete:`name`,value:l,onChange:e=>b(e.currentTarget.value)}),(0,v.jsx)(g,{label:`Email`,type:`email`,required:!0,autoComplete:`email`,value:x,onChange:e=>S(e.currentTarget.value)}),(0,v.jsx)(h,{label:`Password`,required:!0,autoComplete:`new-password`,value:C,onChange:e=>w(e.currentTarget.value)}),(0,v.jsx)(r,{type:`submit`,loading:D,children:`Create account`})]})}),(0,v.jsxs)(i,{size:`sm`,children:[`Already have an account?`,` `,(0,v.jsx)(u,{component:f,to:`/sign-in`,children:`Sign in`})]})]})}export{b as default};