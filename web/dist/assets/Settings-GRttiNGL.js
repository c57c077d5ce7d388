import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Ct as t,G as n,H as r,Q as i,U as a,V as o,W as s,X as c,_t as l,a as u,c as d,l as f,nt as p,o as m,r as h,rt as g,st as _,t as v,zt as y}from"./format-B7GgxVSy.js";import{c as b,i as x,l as S,u as C}from"./index-BdQcOUMt.js";import{n as w,t as T}from"./Table-W3PzY21R.js";import{t as E}from"./Modal-r7kYvla6.js";import{t as D}from"./Paper-BRmk_KTc.js";import{t as O}from"./TextInput--rLRI2cJ.js";import{n as k,t as A}from"./userErrors-D9N-tCbw.js";import{t as j}from"./DataTable-CVldx7bq.js";import{n as M}from"./session-CrdwaJyG.js";var N=e(y(),1);function P(e={}){let t=e.timeout??2e3,[n,r]=(0,N.useState)(null),[i,a]=(0,N.useState)(!1),o=(0,N.useRef)(null);(0,N.useEffect)(()=>()=>{window.clearTimeout(o.current)},[]);let s=e=>{window.clearTimeout(o.current),o.current=window.setTimeout(()=>a(!1),t),a(e)};return{copy:e=>{`clipboard`in navigator?navigator.clipboard.writeText(e).then(()=>{r(null),s(!0)}).catch(e=>{r(e),a(!1)}):r(Error(`useClipboard: navigator.clipboard is not supported`))},reset:()=>{a(!1),r(null),window.clearTimeout(o.current)},error:n,copied:i}}var F={root:`m_b183c0a2`},I=_(),L=t((e,{color:t})=>({root:{"--code-bg":t?l(t,e):void 0}})),R=i(e=>{let t=g(`Code`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,color:l,block:u,mod:d,attributes:f,...m}=t,h=p({name:`Code`,props:t,classes:F,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:f,vars:s,varsResolver:L});return(0,I.jsx)(c,{component:u?`pre`:`code`,mod:[{block:u},d],...h(`root`),...m,dir:`ltr`})});R.classes=F,R.varsResolver=L,R.displayName=`@mantine/core/Code`;var z={timeout:1e3};function B(e){let{children:t,timeout:n,value:r,...i}=g(`CopyButton`,z,e),a=P({timeout:n});return(0,I.jsx)(I.Fragment,{children:t({copy:()=>a.copy(r),copied:a.copied,...i})})}B.displayName=`@mantine/core/CopyButton`;function V({label:e,secret:t,onDone:i}){return(0,I.jsx)(n,{color:`yellow`,title:e,role:`status`,"aria-label":e,children:(0,I.jsxs)(r,{gap:`xs`,children:[(0,I.jsx)(s,{size:`sm`,children:`Copy it now: it is not shown again.`}),(0,I.jsx)(R,{block:!0,"data-testid":`secret`,children:t}),(0,I.jsxs)(w,{children:[(0,I.jsx)(B,{value:t,children:({copied:e,copy:t})=>(0,I.jsx)(a,{size:`xs`,onClick:t,color:e?`teal`:void 0,children:e?`Copied`:`Copy`})}),(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:i,children:`Done`})]})]})})}var H=m(`
  query ApiKeys {
    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }
  }
`),U=m(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey { id name prefix }
      secret
      userErrors { field message code }
    }
  }
`),W=m(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey { id revokedAt }
      userErrors { message code }
    }
  }
`),G=[`VIEWER`,`OPERATOR`,`ADMIN`];function K(){let[{data:e,error:t},n]=f({query:H}),[i,c]=(0,N.useState)(``),[l,p]=(0,N.useState)([`OPERATOR`]),[m,g]=(0,N.useState)(null),[_,y]=(0,N.useState)(null),[{fetching:b},x]=d(U),[,E]=d(W),k=()=>n({requestPolicy:`network-only`});async function A(e){e.preventDefault(),y(null),g(null);let t=await x({input:{name:i.trim(),roles:l}});if(t.error)return y(h(t.error));let n=t.data?.createApiKey;if(n&&n.userErrors.length>0)return y(n.userErrors.map(e=>e.message).join(` `));g(n?.secret??null),c(``),k()}async function M(e,t){if(!window.confirm(`Revoke the key ${t}? Integrations using it stop working at once.`))return;y(null);let n=await E({input:{id:e}});if(n.error)return y(h(n.error));let r=n.data?.revokeApiKey.userErrors??[];if(r.length>0)return y(r.map(e=>e.message).join(` `));k()}let P=e?.apiKeys.nodes??[];return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(r,{children:[(0,I.jsx)(o,{order:2,size:`h4`,children:`API keys`}),(0,I.jsxs)(s,{size:`sm`,c:`dimmed`,children:[`For integrations: send a key as `,(0,I.jsx)(`code`,{children:`Authorization: Bearer inv_…`}),`.`]}),(0,I.jsx)(u,{message:t?h(t):_}),m&&(0,I.jsx)(V,{label:`New API key`,secret:m,onDone:()=>g(null)}),(0,I.jsx)(j,{label:`API keys`,headers:[`Name`,`Key`,`Roles`,`Created`,`Last used`,`Status`,``],minWidth:760,empty:e&&P.length===0?`No API keys yet.`:null,children:P.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.name}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(`code`,{children:[e.prefix,`…`]})}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsxs)(T.Td,{children:[v(e.createdAt),` by `,e.createdBy]}),(0,I.jsx)(T.Td,{children:e.lastUsedAt?v(e.lastUsedAt):`never`}),(0,I.jsx)(T.Td,{children:e.revokedAt?(0,I.jsx)(S,{color:`gray`,children:`revoked`}):e.expiresAt&&new Date(e.expiresAt)<new Date?(0,I.jsx)(S,{color:`gray`,children:`expired`}):(0,I.jsx)(S,{color:`teal`,children:`active`})}),(0,I.jsx)(T.Td,{children:!e.revokedAt&&(0,I.jsx)(a,{size:`xs`,variant:`default`,color:`red`,onClick:()=>M(e.id,e.name),"aria-label":`Revoke ${e.name}`,children:`Revoke`})})]},e.id))}),(0,I.jsx)(`form`,{onSubmit:A,children:(0,I.jsxs)(r,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Key name`,required:!0,value:i,onChange:e=>c(e.currentTarget.value),maw:360}),(0,I.jsx)(C.Group,{label:`Key roles`,value:l,onChange:e=>p(e),children:(0,I.jsx)(w,{mt:`xs`,children:G.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{children:(0,I.jsx)(a,{type:`submit`,loading:b,children:`Create key`})})]})})]})})}var q=m(`
  query WebhookEndpoints {
    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }
  }
`),J=m(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }
    }
  }
`),Y=m(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint { id }
      secret
      userErrors { field message code }
    }
  }
`),X=m(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint { id enabled disabledReason }
      userErrors { message code }
    }
  }
`),Z=m(`
  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      delivery { id status attempts }
      userErrors { message code }
    }
  }
`),ee={PENDING:`blue`,DELIVERED:`teal`,FAILED:`red`};function te({endpointId:e,url:t}){let[{data:n,error:i,fetching:c},l]=f({query:J,variables:{endpointId:e}}),[p,m]=(0,N.useState)(null),[,g]=d(Z),_=()=>l({requestPolicy:`network-only`});async function y(e){m(null);let t=await g({input:{deliveryId:e}});if(t.error)return m(h(t.error));let n=t.data?.redeliverWebhook.userErrors??[];if(n.length>0)return m(n.map(e=>e.message).join(` `));_()}let b=n?.webhookDeliveries.nodes??[];return(0,I.jsxs)(r,{gap:`xs`,children:[(0,I.jsxs)(w,{justify:`space-between`,children:[(0,I.jsxs)(o,{order:3,size:`h5`,children:[`Deliveries to `,t]}),(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:_,loading:c,children:`Refresh`})]}),(0,I.jsx)(u,{message:i?h(i):p}),(0,I.jsx)(j,{label:`Deliveries`,headers:[`Created`,`Event`,`Status`,`Attempts`,`Last answer`,``],minWidth:720,empty:n&&b.length===0?`Nothing sent yet.`:null,children:b.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:v(e.createdAt)}),(0,I.jsxs)(T.Td,{children:[e.eventType,` `,(0,I.jsx)(s,{span:!0,size:`xs`,c:`dimmed`,children:e.eventId})]}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(S,{color:ee[e.status],children:e.status.toLowerCase()})}),(0,I.jsx)(T.Td,{className:`num`,children:e.attempts}),(0,I.jsxs)(T.Td,{children:[e.lastStatusCode?`HTTP ${e.lastStatusCode}`:e.lastError??``,e.lastLatencyMs==null?``:` (${e.lastLatencyMs} ms)`]}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:()=>y(e.id),children:`Redeliver`})})]},e.id))})]})}function ne(){let[{data:e,error:t},n]=f({query:q}),[i,c]=(0,N.useState)(``),[l,p]=(0,N.useState)(`*`),[m,g]=(0,N.useState)(``),[_,y]=(0,N.useState)(null),[b,x]=(0,N.useState)(null),[C,E]=(0,N.useState)(null),[{fetching:k},A]=d(Y),[,M]=d(X),P=()=>n({requestPolicy:`network-only`});async function F(e){e.preventDefault(),x(null),y(null);let t=l.split(/[\s,]+/).filter(Boolean),n=await A({input:{url:i.trim(),eventTypes:t,description:m.trim()||void 0}});if(n.error)return x(h(n.error));let r=n.data?.createWebhookEndpoint;if(r&&r.userErrors.length>0)return x(r.userErrors.map(e=>e.message).join(` `));y(r?.secret??null),c(``),g(``),P()}async function L(e,t){x(null);let n=await M({input:{id:e,enabled:t}});if(n.error)return x(h(n.error));let r=n.data?.updateWebhookEndpoint.userErrors??[];if(r.length>0)return x(r.map(e=>e.message).join(` `));P()}let R=e?.webhookEndpoints.nodes??[],z=R.find(e=>e.id===C);return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(r,{children:[(0,I.jsx)(o,{order:2,size:`h4`,children:`Webhooks`}),(0,I.jsx)(s,{size:`sm`,c:`dimmed`,children:`Signed POSTs of changes to your endpoints, in commit order (Standard Webhooks).`}),(0,I.jsx)(u,{message:t?h(t):b}),_&&(0,I.jsx)(V,{label:`Signing secret`,secret:_,onDone:()=>y(null)}),(0,I.jsx)(j,{label:`Webhook endpoints`,headers:[`URL`,`Events`,`Status`,`Created`,``],minWidth:760,empty:e&&R.length===0?`No endpoints yet.`:null,children:R.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsxs)(T.Td,{children:[e.url,e.description&&(0,I.jsx)(s,{size:`xs`,c:`dimmed`,children:e.description})]}),(0,I.jsx)(T.Td,{children:e.eventTypes.join(`, `)}),(0,I.jsxs)(T.Td,{children:[e.enabled?(0,I.jsx)(S,{color:`teal`,children:`enabled`}):(0,I.jsx)(S,{color:`gray`,children:`disabled`}),e.disabledReason&&(0,I.jsx)(s,{size:`xs`,c:`dimmed`,children:e.disabledReason})]}),(0,I.jsx)(T.Td,{children:v(e.createdAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(w,{gap:`xs`,wrap:`nowrap`,children:[(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:()=>L(e.id,!e.enabled),children:e.enabled?`Disable`:`Enable`}),(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:()=>E(C===e.id?null:e.id),children:C===e.id?`Hide deliveries`:`Deliveries`})]})})]},e.id))}),z&&(0,I.jsx)(te,{endpointId:z.id,url:z.url}),(0,I.jsx)(`form`,{onSubmit:F,children:(0,I.jsxs)(r,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Endpoint URL`,required:!0,placeholder:`https://example.com/webhooks`,value:i,onChange:e=>c(e.currentTarget.value),maw:480}),(0,I.jsx)(O,{label:`Event types`,description:`stock.changed, alert.raised, alert.resolved, reservation.expired, report.completed, or * for all`,value:l,onChange:e=>p(e.currentTarget.value),maw:480}),(0,I.jsx)(O,{label:`Description`,value:m,onChange:e=>g(e.currentTarget.value),maw:480}),(0,I.jsx)(w,{children:(0,I.jsx)(a,{type:`submit`,loading:k,children:`Add endpoint`})})]})})]})})}var re=m(`
  query TenantSettingsPage {
    tenantSettings { tenantId name defaultReservationTtlSeconds }
  }
`),ie=m(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      settings { tenantId name defaultReservationTtlSeconds }
      userErrors { message code }
    }
  }
`),ae=m(`
  query UsersPage {
    users(first: 100) { nodes { id email name roles lastSignInAt } }
  }
`),oe=m(`
  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {
    updateUserRoles(input: $input) {
      user { id roles }
      userErrors { field message code }
    }
  }
`),se=m(`
  mutation RemoveUser($input: RemoveUserInput!) {
    removeUser(input: $input) {
      user { id }
      userErrors { field message code }
    }
  }
`),ce=m(`
  query Invitations {
    invitations { id email roles invitedBy createdAt expiresAt }
  }
`),le=m(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { userErrors { message code } }
  }
`),ue=m(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      invitation { id email roles expiresAt acceptUrl emailSent }
      userErrors { message code }
    }
  }
`);function de({canEdit:e}){let[{data:t,error:n}]=f({query:re}),[i,c]=(0,N.useState)(``),[l,p]=(0,N.useState)(null),[m,g]=(0,N.useState)(null),[{fetching:_},v]=d(ie),y=t?.tenantSettings.defaultReservationTtlSeconds;(0,N.useEffect)(()=>{c(y==null?``:y/3600)},[y]);async function x(e){e.preventDefault(),p(null),g(null);let t=i===``?null:Math.round(Number(i)*3600),n=await v({input:{defaultReservationTtlSeconds:t}});if(n.error)return g(h(n.error));let r=n.data?.updateTenantSettings.userErrors??[];if(r.length>0)return g(r.map(e=>e.message).join(` `));p(`Saved.`)}return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(r,{children:[(0,I.jsx)(o,{order:2,size:`h4`,children:`Business`}),(0,I.jsx)(u,{message:n?h(n):m}),(0,I.jsxs)(s,{children:[`Name: `,(0,I.jsx)(`strong`,{children:t?.tenantSettings.name})]}),(0,I.jsxs)(s,{size:`sm`,c:`dimmed`,children:[`Business id: `,t?.tenantSettings.tenantId]}),(0,I.jsx)(`form`,{onSubmit:x,children:(0,I.jsxs)(w,{align:`flex-end`,wrap:`wrap`,children:[(0,I.jsx)(b,{label:`Reservations expire after (hours)`,description:`Empty: reservations without an expiry never expire.`,min:0,value:i,onChange:c,disabled:!e,maw:320}),e&&(0,I.jsx)(a,{type:`submit`,loading:_,children:`Save`})]})}),(0,I.jsx)(s,{role:`status`,size:`sm`,c:`teal`,children:l})]})})}var Q=[`VIEWER`,`OPERATOR`,`ADMIN`];function $({member:e,onSave:t}){let[n,i]=(0,N.useState)(e.roles),[o,s]=(0,N.useState)(null),[c,l]=(0,N.useState)(!1);async function d(e){if(e.preventDefault(),n.length===0)return s(`Choose at least one role.`);l(!0),s(null);try{s(await t(n))}finally{l(!1)}}return(0,I.jsx)(`form`,{onSubmit:d,noValidate:!0,children:(0,I.jsxs)(r,{children:[(0,I.jsx)(u,{message:o}),(0,I.jsx)(C.Group,{label:`Roles`,value:n,onChange:e=>i(e),children:(0,I.jsx)(w,{mt:`xs`,children:Q.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{justify:`flex-end`,children:(0,I.jsx)(a,{type:`submit`,loading:c,children:`Save`})})]})})}function fe(){let[{data:e,error:t},n]=f({query:ae}),[i,c]=(0,N.useState)(``),[l,p]=(0,N.useState)([`OPERATOR`]),[m,g]=(0,N.useState)(null),[_,y]=(0,N.useState)(null),[{fetching:b},x]=d(ue),[{data:S},M]=f({query:ce}),[,P]=d(le),[,F]=d(oe),[,L]=d(se),[R,z]=(0,N.useState)(null),[B,V]=(0,N.useState)(null);async function H(e,t){let r=await F({input:{userId:e.id,roles:t}});return r.error?h(r.error):A(r.data?.updateUserRoles.userErrors)||(z(null),n({requestPolicy:`network-only`}),null)}async function U(e){let t=await L({input:{userId:e.id}});return t.error?h(t.error):A(t.data?.removeUser.userErrors)||(n({requestPolicy:`network-only`}),null)}async function W(e){y(null);let t=await P({input:{id:e}});if(t.error)return y(h(t.error));let n=t.data?.revokeInvitation.userErrors??[];if(n.length>0)return y(n.map(e=>e.message).join(` `));M({requestPolicy:`network-only`})}async function G(e){e.preventDefault(),y(null),g(null);let t=await x({input:{email:i.trim(),roles:l}});if(t.error)return y(h(t.error));let r=t.data?.inviteUser;if(r&&r.userErrors.length>0)return y(r.userErrors.map(e=>e.message).join(` `));g(r?.invitation?.acceptUrl??null),c(``),n({requestPolicy:`network-only`}),M({requestPolicy:`network-only`})}let K=e?.users.nodes??[];return(0,I.jsx)(D,{withBorder:!0,p:`md`,children:(0,I.jsxs)(r,{children:[(0,I.jsx)(o,{order:2,size:`h4`,children:`People`}),(0,I.jsx)(u,{message:t?h(t):_}),(0,I.jsx)(j,{label:`People`,headers:[`Email`,`Name`,`Roles`,`Last signed in`,`Actions`],minWidth:640,children:K.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.email}),(0,I.jsx)(T.Td,{children:e.name}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsx)(T.Td,{children:v(e.lastSignInAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsxs)(w,{gap:`xs`,wrap:`nowrap`,children:[(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:()=>z(e),"aria-label":`Change the roles of ${e.email}`,children:`Roles`}),(0,I.jsx)(a,{size:`xs`,variant:`default`,color:`red`,onClick:()=>V(e),"aria-label":`Remove ${e.email}`,children:`Remove`})]})})]},e.id))}),(S?.invitations.length??0)>0&&(0,I.jsx)(j,{label:`Invitations`,headers:[`Invited`,`Roles`,`By`,`Expires`,``],minWidth:560,children:S?.invitations.map(e=>(0,I.jsxs)(T.Tr,{children:[(0,I.jsx)(T.Td,{children:e.email}),(0,I.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,I.jsx)(T.Td,{children:e.invitedBy}),(0,I.jsx)(T.Td,{children:v(e.expiresAt)}),(0,I.jsx)(T.Td,{children:(0,I.jsx)(a,{size:`xs`,variant:`default`,onClick:()=>W(e.id),"aria-label":`Revoke the invitation of ${e.email}`,children:`Revoke`})})]},e.id))}),(0,I.jsx)(`form`,{onSubmit:G,children:(0,I.jsxs)(r,{gap:`sm`,children:[(0,I.jsx)(O,{label:`Invite by email`,type:`email`,value:i,onChange:e=>c(e.currentTarget.value),maw:360}),(0,I.jsx)(C.Group,{label:`Roles`,value:l,onChange:e=>p(e),children:(0,I.jsx)(w,{mt:`xs`,children:Q.map(e=>(0,I.jsx)(C,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,I.jsx)(w,{children:(0,I.jsx)(a,{type:`submit`,loading:b,children:`Invite`})})]})}),m&&(0,I.jsxs)(s,{role:`status`,size:`sm`,children:[`Invitation link: `,(0,I.jsx)(`code`,{children:m})]}),(0,I.jsx)(E,{opened:R!==null,onClose:()=>z(null),title:R?`Roles of ${R.email}`:``,children:R&&(0,I.jsx)($,{member:R,onSave:e=>H(R,e)},R.id)}),(0,I.jsx)(k,{opened:B!==null,title:`Remove ${B?.email??``}`,message:`They leave this business at once: their sessions here end. Their account and their other businesses stay.`,confirmLabel:`Remove`,onConfirm:()=>B?U(B):Promise.resolve(null),onClose:()=>V(null)})]})})}function pe(){let e=x(),t=M(e,`admin`);return(0,I.jsxs)(r,{children:[(0,I.jsx)(o,{order:1,size:`h2`,children:`Settings`}),(0,I.jsx)(de,{canEdit:t}),t&&e?.kind===`password`&&(0,I.jsx)(fe,{}),t&&(0,I.jsx)(K,{}),t&&(0,I.jsx)(ne,{})]})}export{$ as RolesForm,pe as default};