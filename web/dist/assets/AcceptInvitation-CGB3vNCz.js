import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Lt as n,U as r,W as i,a,c as o,o as s,ot as c,r as l}from"./format-Dyr17DR6.js";import{_ as u,f as d,h as f,m as p,n as m,r as h,s as g}from"./index-DicyGINo.js";import{t as _}from"./TextInput-C8rFwgar.js";var v=e(n(),1),y=c(),b=s(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function x(){let[e]=u(),n=f(),s=e.get(`token`)??``,[c,x]=(0,v.useState)(``),[S,C]=(0,v.useState)(``),[w,T]=(0,v.useState)(s?null:`This invitation link is incomplete. Ask for a new one.`),[{fetching:E},D]=o(b);async function O(e){e.preventDefault(),T(null);let t=await D({input:{token:s,name:c.trim()||void 0,password:S||void 0}}),r=t.error?l(t.error):m(t.data?.acceptInvitation,`Accepting the invitation did not work. Ask for a new one.`);r?T(r):n(`/stock`,{replace:!0})}return(0,y.jsxs)(h,{title:`Accept your invitation`,children:[(0,y.jsx)(i,{size:`sm`,children:`Choose a password to join. If you already have an account, leave it empty.`}),(0,y.jsx)(`form`,{onSubmit:O,noValidate:!0,children:(0,y.jsxs)(t,{children:[(0,y.jsx)(a,{message:w}),(0,y.jsx)(_,{label:`Your name`,autoComplete:`name`,value:c,onChange:e=>x(e.currentTarget.value)}),(0,y.jsx)(g,{label:`Password`,autoComplete:`new-password`,value:S,onChange:e=>C(e.currentTarget.value)}),(0,y.jsx)(r,{type:`submit`,loading:E,disabled:!s,children:`Accept invitation`})]})}),(0,y.jsx)(i,{size:`sm`,children:(0,y.jsx)(d,{component:p,to:`/sign-in`,children:`Sign in instead`})})]})}export{x as default};