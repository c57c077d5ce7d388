import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,W as r,a as i,c as a,o,r as s,st as c,zt as l}from"./format-B7GgxVSy.js";import{d as u,g as d,m as f,n as p,p as m,r as h,s as g}from"./index-BdQcOUMt.js";import{t as _}from"./TextInput--rLRI2cJ.js";var v=e(l(),1),y=c(),b=o(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);function x(){let[e]=d(),o=f(),c=e.get(`token`)??``,[l,x]=(0,v.useState)(``),[S,C]=(0,v.useState)(``),[w,T]=(0,v.useState)(c?null:`This invitation link is incomplete. Ask for a new one.`),[{fetching:E},D]=a(b);async function O(e){e.preventDefault(),T(null);let t=await D({input:{token:c,name:l.trim()||void 0,password:S||void 0}}),n=t.error?s(t.error):p(t.data?.acceptInvitation,`Accepting the invitation did not work. Ask for a new one.`);n?T(n):o(`/stock`,{replace:!0})}return(0,y.jsxs)(h,{title:`Accept your invitation`,children:[(0,y.jsx)(r,{size:`sm`,children:`Choose a password to join. If you already have an account, enter its password.`}),(0,y.jsx)(`form`,{onSubmit:O,noValidate:!0,children:(0,y.jsxs)(t,{children:[(0,y.jsx)(i,{message:w}),(0,y.jsx)(_,{label:`Your name`,autoComplete:`name`,value:l,onChange:e=>x(e.currentTarget.value)}),(0,y.jsx)(g,{label:`Password`,autoComplete:`new-password`,value:S,onChange:e=>C(e.currentTarget.value)}),(0,y.jsx)(n,{type:`submit`,loading:E,disabled:!c,children:`Accept invitation`})]})}),(0,y.jsx)(r,{size:`sm`,children:(0,y.jsx)(u,{component:m,to:`/sign-in`,children:`Sign in instead`})})]})}export{x as default};