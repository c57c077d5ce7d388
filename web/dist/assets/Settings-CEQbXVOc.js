import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{$ as t,Bt as n,G as r,H as i,K as a,U as o,W as s,Z as c,a as l,ct as u,it as d,l as f,o as p,r as m,rt as h,t as g,u as _,vt as v,wt as y}from"./format-DQnp7__F.js";import{c as b,i as x,l as S,u as C}from"./index-DwJ7I-LU.js";import{n as w,t as T}from"./Table-DSvXy0lg.js";import{t as E}from"./Modal-DcVQ9cdk.js";import{t as D}from"./Paper-BeOjKZHF.js";import{t as O}from"./TextInput-BwmA1Jdp.js";import{n as k,t as A}from"./userErrors-wH9ieYke.js";import{t as j}from"./DataTable-B0ZOeyWd.js";import{n as M}from"./session-CrdwaJyG.js";var N=e(n(),1);function P(e={}){let t=e.timeout??2e3,[n,r]=(0,N.useState)(null),[i,a]=(0,N.useState)(!1),o=(0,N.useRef)(null);(0,N.useEffect)(()=>()=>{window.clearTimeout(o.current)},[]);let s=e=>{window.clearTimeout(o.current),o.current=window.setTimeout(()=>a(!1),t),a(e)};return{copy:e=>{`clipboard`in navigator?navigator.clipboard.writeText(e).then(()=>{r(null),s(!0)}).catch(e=>{r(e),a(!1)}):r(Error(`useClipboard: navigator.clipboard is not supported`))},reset:()=>{a(!1),r(null),window.clearTimeout(o.current)},error:n,copied:i}}var F={root:`m_b183c0a2`},I=u(),L=y((e,{color:t})=>({root:{"--code-bg":t?v(t,e):void 0}})),R=t(e=>{let t=d(`Code`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,color:l,block:u,mod:f,attributes:p,...m}=t,g=h({name:`Code`,props:t,classes:F,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:p,vars:s,varsResolver:L});return(0,I.jsx)(c,{component:u?`pre`:`code`,mod:[{block:u},f],...g(`root`),...m,dir:`ltr`})});R.classes=F,R.varsResolver=L,R.displayName=`@mantine/core/Code`;var z={timeout:1e3};function B(e){let{children:t,timeout:n,value:r,...i}=d(`CopyButton`,z,e),a=P({timeout:n});return(0,I.jsx)(I.Fragment,{children:t({copy:()=>a.copy(r),copied:a.copied,...i})})}B.displayName=`@mantine/core/CopyButton`;function V({label:e,secret:t,onDone:n}){return(0,I.jsx)(a,{color:`yellow`,title:e,role:`status`,"aria-label":e,children:(0,I.jsxs)(o,{gap:`xs`,children:[(0,I.jsx)(r,{size:`sm`,children:`Copy it now: it is not shown again.`}),(0,I.jsx)(R,{block:!0,"data-testid":`secret`,children:t}),(0,I.jsxs)(w,{children:[(0,I.jsx)(B,{value:t,children:({copied:e,copy:t})=>(0,I.jsx)(s,{size:`xs`,onClick:t,color:e?`teal`:void 0,children:e?`Copied`:`Copy`})}),(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:n,children:`Done`})]})]})})}var H=p(`
  query ApiKeys {
    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }
  }
`),U=p(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey { id name prefix }
      secret
      userErrors { field message code }
    }
  }
`),W=p(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey { id revokedAt }
      userErrors { message code }
    }
  }
`),G=[`VIEWER`,`OPERATOR`,`ADMIN`];function K(){let[{data:e,error:t},n]=_({query:H}),[a,c]=(0,N.useState)(``),[u,d]=(0,N.useState)([`OPERATOR`]),[p,h]=(0,N.useState)(null),[v,y]=(0,N.useState)(null),[{fetching:b},x]=f(U),[,E]=f(W),k=()=>n({requestPolicy:`network-only`});async function A(e){e.preventDefault(),y(null),h(null);let t=await x({input:{name:a.trim(),roles:u}});if(t.error)return y(m(t.error));let n=t.data?.createApiKey;if(n&&n.userErrors.length>0)return y(n.userErrors.map(e=>e.message).join(` `));h(n?.secret??null),c(``),k()}async function M(e,t){if(!window.confirm(`Revoke the key ${t}? Integrations using it stop working at once.`))return;y(null);let n=await E({input:{id:e}});if(n.error)return y(m(n.error));let r=n.data?.revokeApiKey.userErrors??[];if(r.length>0)return y(r.map(e=>e.message).join(` `));k()}let P=e?.apiKeys.nodes??[];return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(o,{children:[(0,I.jsx)(i,{order:2,size:`h4`,children:`API keys`}),(0,I.jsxs)(r,{size:`sm`,c:`dimmed`,children:[`For integrations: send a key as `,(0,I.jsx)(`code`,{children:`Authorization: Bearer inv_…`}),`.`]}),(0,I.jsx)(l,{message:t?m(t):v}),p&&(0,I.jsx)(V,{label:`New API key`,secret:p,onDone:()=>h(null)}),(0,I.jsx)(j,{label:`API keys`,headers:[`Name`,`Key`,`Roles`,`Created`,`Last used`,`Status`,``],minWidth:760,empty:e&&P.length===0?`No API keys yet.`:null,children:P.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.name}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(`code`,{children:[e.prefix,`…`]})}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsxs)(T.Td,{children:[g(e.createdAt),` by `,e.createdBy]}),(0,I.jsx)(T.Td,{children:e.lastUsedAt?g(e.lastUsedAt):`never`}),(0,I.jsx)(T.Td,{children:e.revokedAt?(0,I.jsx)(S,{color:`gray`,children:`revoked`}):e.expiresAt&&new Date(e.expiresAt)<new Date?(0,I.jsx)(S,{color:`gray`,children:`expired`}):(0,I.jsx)(S,{color:`teal`,children:`active`})}),(0,I.jsx)(T.Td,{children:!e.revokedAt&&(0,I.jsx)(s,{size:`xs`,variant:`default`,color:`red`,onClick:()=>M(e.id,e.name),"aria-label":`Revoke ${e.name}`,children:`Revoke`})})]},e.id))}),(0,I.jsx)(`form`,{onSubmit:A,children:(0,I.jsxs)(o,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Key name`,required:!0,value:a,onChange:e=>c(e.currentTarget.value),maw:360}),(0,I.jsx)(C.Group,{label:`Key roles`,value:u,onChange:e=>d(e),children:(0,I.jsx)(w,{mt:`xs`,children:G.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{children:(0,I.jsx)(s,{type:`submit`,loading:b,children:`Create key`})})]})})]})})}var ee=p(`
  query WebhookEndpoints {
    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }
  }
`),te=p(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }
    }
  }
`),ne=p(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint { id }
      secret
      userErrors { field message code }
    }
  }
`),q=p(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint { id enabled disabledReason }
      userErrors { message code }
    }
  }
`),J=p(`
  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      delivery { id status attempts }
      userErrors { message code }
    }
  }
`),Y={PENDING:`blue`,DELIVERED:`teal`,FAILED:`red`};function X({endpointId:e,url:t}){let[{data:n,error:a,fetching:c},u]=_({query:te,variables:{endpointId:e}}),[d,p]=(0,N.useState)(null),[,h]=f(J),v=()=>u({requestPolicy:`network-only`});async function y(e){p(null);let t=await h({input:{deliveryId:e}});if(t.error)return p(m(t.error));let n=t.data?.redeliverWebhook.userErrors??[];if(n.length>0)return p(n.map(e=>e.message).join(` `));v()}let b=n?.webhookDeliveries.nodes??[];return(0,I.jsxs)(o,{gap:`xs`,children:[(0,I.jsxs)(w,{justify:`space-between`,children:[(0,I.jsxs)(i,{order:3,size:`h5`,children:[`Deliveries to `,t]}),(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:v,loading:c,children:`Refresh`})]}),(0,I.jsx)(l,{message:a?m(a):d}),(0,I.jsx)(j,{label:`Deliveries`,headers:[`Created`,`Event`,`Status`,`Attempts`,`Last answer`,``],minWidth:720,empty:n&&b.length===0?`Nothing sent yet.`:null,children:b.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:g(e.createdAt)}),(0,I.jsxs)(T.Td,{children:[e.eventType,` `,(0,I.jsx)(r,{span:!0,size:`xs`,c:`dimmed`,children:e.eventId})]}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(S,{color:Y[e.status],children:e.status.toLowerCase()})}),(0,I.jsx)(T.Td,{className:`num`,children:e.attempts}),(0,I.jsxs)(T.Td,{children:[e.lastStatusCode?`HTTP ${e.lastStatusCode}`:e.lastError??``,e.lastLatencyMs==null?``:` (${e.lastLatencyMs} ms)`]}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:()=>y(e.id),children:`Redeliver`})})]},e.id))})]})}function re(){let[{data:e,error:t},n]=_({query:ee}),[a,c]=(0,N.useState)(``),[u,d]=(0,N.useState)(`*`),[p,h]=(0,N.useState)(``),[v,y]=(0,N.useState)(null),[b,x]=(0,N.useState)(null),[C,E]=(0,N.useState)(null),[{fetching:k},A]=f(ne),[,M]=f(q),P=()=>n({requestPolicy:`network-only`});async function F(e){e.preventDefault(),x(null),y(null);let t=u.split(/[\s,]+/).filter(Boolean),n=await A({input:{url:a.trim(),eventTypes:t,description:p.trim()||void 0}});if(n.error)return x(m(n.error));let r=n.data?.createWebhookEndpoint;if(r&&r.userErrors.length>0)return x(r.userErrors.map(e=>e.message).join(` `));y(r?.secret??null),c(``),h(``),P()}async function L(e,t){x(null);let n=await M({input:{id:e,enabled:t}});if(n.error)return x(m(n.error));let r=n.data?.updateWebhookEndpoint.userErrors??[];if(r.length>0)return x(r.map(e=>e.message).join(` `));P()}let R=e?.webhookEndpoints.nodes??[],z=R.find(e=>e.id===C);return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(o,{children:[(0,I.jsx)(i,{order:2,size:`h4`,children:`Webhooks`}),(0,I.jsx)(r,{size:`sm`,c:`dimmed`,children:`Signed POSTs of changes to your endpoints, in commit order (Standard Webhooks).`}),(0,I.jsx)(l,{message:t?m(t):b}),v&&(0,I.jsx)(V,{label:`Signing secret`,secret:v,onDone:()=>y(null)}),(0,I.jsx)(j,{label:`Webhook endpoints`,headers:[`URL`,`Events`,`Status`,`Created`,``],minWidth:760,empty:e&&R.length===0?`No endpoints yet.`:null,children:R.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsxs)(T.Td,{children:[e.url,e.description&&(0,I.jsx)(r,{size:`xs`,c:`dimmed`,children:e.description})]}),(0,I.jsx)(T.Td,{children:e.eventTypes.join(`, `)}),(0,I.jsxs)(T.Td,{children:[e.enabled?(0,I.jsx)(S,{color:`teal`,children:`enabled`}):(0,I.jsx)(S,{color:`gray`,children:`disabled`}),e.disabledReason&&(0,I.jsx)(r,{size:`xs`,c:`dimmed`,children:e.disabledReason})]}),(0,I.jsx)(T.Td,{children:g(e.createdAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(w,{gap:`xs`,wrap:`nowrap`,children:[(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:()=>L(e.id,!e.enabled),children:e.enabled?`Disable`:`Enable`}),(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:()=>E(C===e.id?null:e.id),children:C===e.id?`Hide deliveries`:`Deliveries`})]})})]},e.id))}),z&&(0,I.jsx)(X,{endpointId:z.id,url:z.url}),(0,I.jsx)(`form`,{onSubmit:F,children:(0,I.jsxs)(o,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Endpoint URL`,required:!0,placeholder:`https://example.com/webhooks`,value:a,onChange:e=>c(e.currentTarget.value),maw:480}),(0,I.jsx)(O,{label:`Event types`,description:`stock.changed, alert.raised, alert.resolved, reservation.expired, report.completed, or * for all`,value:u,onChange:e=>d(e.currentTarget.value),maw:480}),(0,I.jsx)(O,{label:`Description`,value:p,onChange:e=>h(e.currentTarget.value),maw:480}),(0,I.jsx)(w,{children:(0,I.jsx)(s,{type:`submit`,loading:k,children:`Add endpoint`})})]})})]})})}var ie=p(`
  query TenantSettingsPage {
    tenantSettings { tenantId name defaultReservationTtlSeconds }
  }
`),ae=p(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      settings { tenantId name defaultReservationTtlSeconds }
      userErrors { message code }
    }
  }
`),oe=p(`
  query UsersPage {
    users(first: 100) { nodes { id email name roles lastSignInAt } }
  }
`),se=p(`
  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {
    updateUserRoles(input: $input) {
      user { id roles }
      userErrors { field message code }
    }
  }
`),ce=p(`
  mutation RemoveUser($input: RemoveUserInput!) {
    removeUser(input: $input) {
      user { id }
      userErrors { field message code }
    }
  }
`),le=p(`
  query Invitations {
    invitations { id email roles invitedBy createdAt expiresAt }
  }
`),ue=p(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { userErrors { message code } }
  }
`),Z=p(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      invitation { id email roles expiresAt acceptUrl emailSent }
      userErrors { message code }
    }
  }
`);function de({canEdit:e}){let[{data:t,error:n}]=_({query:ie}),[a,c]=(0,N.useState)(``),[u,d]=(0,N.useState)(null),[p,h]=(0,N.useState)(null),[{fetching:g},v]=f(ae),y=t?.tenantSettings.defaultReservationTtlSeconds;(0,N.useEffect)(()=>{c(y==null?``:y/3600)},[y]);async function x(e){e.preventDefault(),d(null),h(null);let t=a===``?null:Math.round(Number(a)*3600),n=await v({input:{defaultReservationTtlSeconds:t}});if(n.error)return h(m(n.error));let r=n.data?.updateTenantSettings.userErrors??[];if(r.length>0)return h(r.map(e=>e.message).join(` `));d(`Saved.`)}return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(o,{children:[(0,I.jsx)(i,{order:2,size:`h4`,children:`Business`}),(0,I.jsx)(l,{message:n?m(n):p}),(0,I.jsxs)(r,{children:[`Name: `,(0,I.jsx)(`strong`,{children:t?.tenantSettings.name})]}),(0,I.jsxs)(r,{size:`sm`,c:`dimmed`,children:[`Business id: `,t?.tenantSettings.tenantId]}),(0,I.jsx)(`form`,{onSubmit:x,children:(0,I.jsxs)(w,{align:`flex-end`,wrap:`wrap`,children:[(0,I.jsx)(b,{label:`Reservations expire after (hours)`,description:`Empty: reservations without an expiry never expire.`,min:0,value:a,onChange:c,disabled:!e,maw:320}),e&&(0,I.jsx)(s,{type:`submit`,loading:g,children:`Save`})]})}),(0,I.jsx)(r,{role:`status`,size:`sm`,c:`teal`,children:u})]})})}var Q=[`VIEWER`,`OPERATOR`,`ADMIN`];function $({member:e,onSave:t}){let[n,r]=(0,N.useState)(e.roles),[i,a]=(0,N.useState)(null),[c,u]=(0,N.useState)(!1);async function d(e){if(e.preventDefault(),n.length===0)return a(`Choose at least one role.`);u(!0),a(null);try{a(await t(n))}finally{u(!1)}}return(0,I.jsx)(`form`,{onSubmit:d,noValidate:!0,children:(0,I.jsxs)(o,{children:[(0,I.jsx)(l,{message:i}),(0,I.jsx)(C.Group,{label:`Roles`,value:n,onChange:e=>r(e),children:(0,I.jsx)(w,{mt:`xs`,children:Q.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{justify:`flex-end`,children:(0,I.jsx)(s,{type:`submit`,loading:c,children:`Save`})})]})})}function fe(){let[{data:e,error:t},n]=_({query:oe}),[a,c]=(0,N.useState)(``),[u,d]=(0,N.useState)([`OPERATOR`]),[p,h]=(0,N.useState)(null),[v,y]=(0,N.useState)(null),[{fetching:b},x]=f(Z),[{data:S},M]=_({query:le}),[,P]=f(ue),[,F]=f(se),[,L]=f(ce),[R,z]=(0,N.useState)(null),[B,V]=(0,N.useState)(null);async function H(e,t){let r=await F({input:{userId:e.id,roles:t}});return r.error?m(r.error):A(r.data?.updateUserRoles.userErrors)||(z(null),n({requestPolicy:`network-only`}),null)}async function U(e){let t=await L({input:{userId:e.id}});return t.error?m(t.error):A(t.data?.removeUser.userErrors)||(n({requestPolicy:`network-only`}),null)}async function W(e){y(null);let t=await P({input:{id:e}});if(t.error)return y(m(t.error));let n=t.data?.revokeInvitation.userErrors??[];if(n.length>0)return y(n.map(e=>e.message).join(` `));M({requestPolicy:`network-only`})}async function G(e){e.preventDefault(),y(null),h(null);let t=await x({input:{email:a.trim(),roles:u}});if(t.error)return y(m(t.error));let r=t.data?.inviteUser;if(r&&r.userErrors.length>0)return y(r.userErrors.map(e=>e.message).join(` `));h(r?.invitation?.acceptUrl??null),c(``),n({requestPolicy:`network-only`}),M({requestPolicy:`network-only`})}let K=e?.users.nodes??[];return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(o,{children:[(0,I.jsx)(i,{order:2,size:`h4`,children:`People`}),(0,I.jsx)(l,{message:t?m(t):v}),(0,I.jsx)(j,{label:`People`,headers:[`Email`,`Name`,`Roles`,`Last signed in`,`Actions`],minWidth:640,children:K.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.email}),(0,I.jsx)(T.Td,{children:e.name}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsx)(T.Td,{children:g(e.lastSignInAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(w,{gap:`xs`,wrap:`nowrap`,children:[(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:()=>z(e),"aria-label":`Change the roles of ${e.email}`,children:`Roles`}),(0,I.jsx)(s,{size:`xs`,variant:`default`,color:`red`,onClick:()=>V(e),"aria-label":`Remove ${e.email}`,children:`Remove`})]})})]},e.id))}),(S?.invitations.length??0)>0&&(0,I.jsx)(j,{label:`Invitations`,headers:[`Invited`,`Roles`,`By`,`Expires`,``],minWidth:560,children:S?.invitations.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.email}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsx)(T.Td,{children:e.invitedBy}),(0,I.jsx)(T.Td,{children:g(e.expiresAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(s,{size:`xs`,variant:`default`,onClick:()=>W(e.id),"aria-label":`Revoke the invitation of ${e.email}`,children:`Revoke`})})]},e.id))}),(0,I.jsx)(`form`,{onSubmit:G,children:(0,I.jsxs)(o,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Invite by email`,type:`email`,value:a,onChange:e=>c(e.currentTarget.value),maw:360}),(0,I.jsx)(C.Group,{label:`Roles`,value:u,onChange:e=>d(e),children:(0,I.jsx)(w,{mt:`xs`,children:Q.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{children:(0,I.jsx)(s,{type:`submit`,loading:b,children:`Invite`})})]})}),p&&(0,I.jsxs)(r,{role:`status`,size:`sm`,children:[`Invitation link: `,(0,I.jsx)(`code`,{children:p})]}),(0,I.jsx)(E,{opened:R!==null,onClose:()=>z(null),title:R?`Roles of ${R.email}`:``,children:R&&(0,I.jsx)($,{member:R,onSave:e=>H(R,e)},R.id)}),(0,I.jsx)(k,{opened:B!==null,title:`Remove ${B?.email??``}`,message:`They leave this business at once: their sessions here end. Their account and their other businesses stay.`,confirmLabel:`Remove`,onConfirm:()=>B?U(B):Promise.resolve(null),onClose:()=>V(null)})]})})}function pe(){let e=x(),t=M(e,`admin`);return(0,I.jsxs)(o,{children:[(0,I.jsx)(i,{order:1,size:`h2`,children:`Settings`}),(0,I.jsx)(de,{canEdit:t}),t&&e?.kind===`password`&&(0,I.jsx)(fe,{}),t&&(0,I.jsx)(K,{}),t&&(0,I.jsx)(re,{})]})}export{$ as RolesForm,pe as default};