import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,W as i,a,c as o,o as s,r as c,st as l}from"./format-6nuVJGlS.js";import{_ as u,f as d,h as f,m as p,n as m,r as h,s as g}from"./index-CH_7tqEK.js";import{t as _}from"./TextInput-pk_pqcFB.js";var v=e(n(),1),y=l(),b=s(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function x(){let[e]=u(),n=f(),s=e.get(`token`)??``,[l,x]=(0,v.useState)(``),[S,C]=(0,v.useState)(``),[w,T]=(0,v.useState)(s?null:`This invitation link is incomplete. Ask for a new one.`),[{fetching:E},D]=o(b);async function O(e){e.preventDefault(),T(null);let t=await D({input:{token:s,name:l.trim()||void 0,password:S||void 0}}),r=t.error?c(t.error):m(t.data?.acceptInvitation,`Accepting the invitation did not work. Ask for a new one.`);r?T(r):n(`/stock`,{replace:!0})}return(0,y.jsxs)(h,{title:`Accept your invitation`,children:[(0,y.jsx)(i,{size:`sm`,children:`Choose a password to join. If you already have an account, enter its password.`}),(0,y.jsx)(`form`,{onSubmit:O,noValidate:!0,children:(0,y.jsxs)(t,{children:[(0,y.jsx)(a,{message:w}),(0,y.jsx)(_,{label:`Your name`,autoComplete:`name`,value:l,onChange:e=>x(e.currentTarget.value)}),(0,y.jsx)(g,{label:`Password`,autoComplete:`new-password`,value:S,onChange:e=>C(e.currentTarget.value)}),(0,y.jsx)(r,{type:`submit`,loading:E,disabled:!s,children:`Accept invitation`})]})}),(0,y.jsx)(i,{size:`sm`,children:(0,y.jsx)(d,{component:p,to:`/sign-in`,children:`Sign in instead`})})]})}export{x as default};