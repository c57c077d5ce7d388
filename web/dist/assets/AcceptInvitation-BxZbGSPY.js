import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,G as n,U as r,W as i,a,ct as o,l as s,o as c,r as l}from"./format-DQnp7__F.js";import{d as u,g as d,m as f,n as p,p as m,r as h,s as g}from"./index-DwJ7I-LU.js";import{t as _}from"./TextInput-BwmA1Jdp.js";var v=e(t(),1),y=o(),b=c(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function x(){let[e]=d(),t=f(),o=e.get(`token`)??``,[c,x]=(0,v.useState)(``),[S,C]=(0,v.useState)(``),[w,T]=(0,v.useState)(o?null:`This invitation link is incomplete. Ask for a new one.`),[{fetching:E},D]=s(b);async function O(e){e.preventDefault(),T(null);let n=await D({input:{token:o,name:c.trim()||void 0,password:S||void 0}}),r=n.error?l(n.error):p(n.data?.acceptInvitation,`Accepting the invitation did not work. Ask for a new one.`);r?T(r):t(`/stock`,{replace:!0})}return(0,y.jsxs)(h,{title:`Accept your invitation`,children:[(0,y.jsx)(n,{size:`sm`,children:`Choose a password to join. If you already have an account, enter its password.`}),(0,y.jsx)(`form`,{onSubmit:O,noValidate:!0,children:(0,y.jsxs)(r,{children:[(0,y.jsx)(a,{message:w}),(0,y.jsx)(_,{label:`Your name`,autoComplete:`name`,value:c,onChange:e=>x(e.currentTarget.value)}),(0,y.jsx)(g,{label:`Password`,autoComplete:`new-password`,value:S,onChange:e=>C(e.currentTarget.value)}),(0,y.jsx)(i,{type:`submit`,loading:E,disabled:!o,children:`Accept invitation`})]})}),(0,y.jsx)(n,{size:`sm`,children:(0,y.jsx)(u,{component:m,to:`/sign-in`,children:`Sign in instead`})})]})}export{x as default};