import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Lt as n,U as r,V as i,W as a,a as o,c as s,l as c,o as l,ot as u,r as d,t as f}from"./format-Dyr17DR6.js";import{c as p,d as m,i as h}from"./index-DicyGINo.js";import{n as g,t as _}from"./Table-Bh7B16wW.js";import{t as v}from"./Paper-CTpO9-i7.js";import{t as y}from"./TextInput-C8rFwgar.js";import{t as b}from"./DataTable-CHHH0OBA.js";import{n as x}from"./session-CdTY1xf1.js";var S=e(n(),1),C=u(),w=l(`
  query TenantSettingsPage {
    tenantSettings { tenantId name defaultReservationTtlSeconds }
  }
`),T=l(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      settings { tenantId name defaultReservationTtlSeconds }
      userErrors { message code }
    }
  }
`),E=l(`
  query UsersPage {
    users(first: 100) { nodes { id email name roles lastSignInAt } }
  }
`),D=l(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      invitation { id email roles expiresAt acceptUrl }
      userErrors { message code }
    }
  }
`);function O({canEdit:e}){let[{data:n,error:l}]=c({query:w}),[u,f]=(0,S.useState)(``),[m,h]=(0,S.useState)(null),[_,y]=(0,S.useState)(null),[{fetching:b},x]=s(T),E=n?.tenantSettings.defaultReservationTtlSeconds;(0,S.useEffect)(()=>{f(E==null?``:E/3600)},[E]);async function D(e){e.preventDefault(),h(null),y(null);let t=u===``?null:Math.round(Number(u)*3600),n=await x({input:{defaultReservationTtlSeconds:t}});if(n.error)return y(d(n.error));let r=n.data?.updateTenantSettings.userErrors??[];if(r.length>0)return y(r.map(e=>e.message).join(` `));h(`Saved.`)}return(0,C.jsx)(v,{withBorder:!0,p:`md`,children:(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:2,size:`h4`,children:`Business`}),(0,C.jsx)(o,{message:l?d(l):_}),(0,C.jsxs)(a,{children:[`Name: `,(0,C.jsx)(`strong`,{children:n?.tenantSettings.name})]}),(0,C.jsxs)(a,{size:`sm`,c:`dimmed`,children:[`Business id: `,n?.tenantSettings.tenantId]}),(0,C.jsx)(`form`,{onSubmit:D,children:(0,C.jsxs)(g,{align:`flex-end`,wrap:`wrap`,children:[(0,C.jsx)(p,{label:`Reservations expire after (hours)`,description:`Empty: reservations without an expiry never expire.`,min:0,value:u,onChange:f,disabled:!e,maw:320}),e&&(0,C.jsx)(r,{type:`submit`,loading:b,children:`Save`})]})}),(0,C.jsx)(a,{role:`status`,size:`sm`,c:`teal`,children:m})]})})}var k=[`VIEWER`,`OPERATOR`,`ADMIN`];function A(){let[{data:e,error:n},l]=c({query:E}),[u,p]=(0,S.useState)(``),[h,x]=(0,S.useState)([`OPERATOR`]),[w,T]=(0,S.useState)(null),[O,A]=(0,S.useState)(null),[{fetching:j},M]=s(D);async function N(e){e.preventDefault(),A(null),T(null);let t=await M({input:{email:u.trim(),roles:h}});if(t.error)return A(d(t.error));let n=t.data?.inviteUser;if(n&&n.userErrors.length>0)return A(n.userErrors.map(e=>e.message).join(` `));T(n?.invitation?.acceptUrl??null),p(``),l({requestPolicy:`network-only`})}let P=e?.users.nodes??[];return(0,C.jsx)(v,{withBorder:!0,p:`md`,children:(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:2,size:`h4`,children:`People`}),(0,C.jsx)(o,{message:n?d(n):O}),(0,C.jsx)(b,{label:`People`,headers:[`Email`,`Name`,`Roles`,`Last signed in`],minWidth:520,children:P.map(e=>(0,C.jsxs)(_.Tr,{children:[(0,C.jsx)(_.Td,{children:e.email}),(0,C.jsx)(_.Td,{children:e.name}),(0,C.jsx)(_.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,C.jsx)(_.Td,{children:f(e.lastSignInAt)})]},e.id))}),(0,C.jsx)(`form`,{onSubmit:N,children:(0,C.jsxs)(t,{gap:`sm`,children:[(0,C.jsx)(y,{label:`Invite by email`,type:`email`,value:u,onChange:e=>p(e.currentTarget.value),maw:360}),(0,C.jsx)(m.Group,{label:`Roles`,value:h,onChange:e=>x(e),children:(0,C.jsx)(g,{mt:`xs`,children:k.map(e=>(0,C.jsx)(m,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,C.jsx)(g,{children:(0,C.jsx)(r,{type:`submit`,loading:j,children:`Invite`})})]})}),w&&(0,C.jsxs)(a,{role:`status`,size:`sm`,children:[`Invitation link: `,(0,C.jsx)(`code`,{children:w})]})]})})}function j(){let e=h(),n=x(e,`admin`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:1,size:`h2`,children:`Settings`}),(0,C.jsx)(O,{canEdit:n}),n&&e?.kind===`password`&&(0,C.jsx)(A,{})]})}export{j as default};