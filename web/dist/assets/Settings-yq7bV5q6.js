import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Ct as t,G as n,H as r,Q as i,Rt as a,U as o,V as s,W as c,X as l,_t as u,a as d,c as f,l as p,nt as m,o as h,r as g,rt as _,st as v,t as y}from"./format-6nuVJGlS.js";import{c as b,d as x,i as S,u as C}from"./index-CH_7tqEK.js";import{n as w,t as T}from"./Table-D8H3WS5z.js";import{t as E}from"./Paper-CZ-WofwC.js";import{t as D}from"./TextInput-pk_pqcFB.js";import{t as O}from"./DataTable-tKbaAP_K.js";import{n as k}from"./session-CrdwaJyG.js";var A=e(a(),1);function j(e={}){let t=e.timeout??2e3,[n,r]=(0,A.useState)(null),[i,a]=(0,A.useState)(!1),o=(0,A.useRef)(null);(0,A.useEffect)(()=>()=>{window.clearTimeout(o.current)},[]);let s=e=>{window.clearTimeout(o.current),o.current=window.setTimeout(()=>a(!1),t),a(e)};return{copy:e=>{`clipboard`in navigator?navigator.clipboard.writeText(e).then(()=>{r(null),s(!0)}).catch(e=>{r(e),a(!1)}):r(Error(`useClipboard: navigator.clipboard is not supported`))},reset:()=>{a(!1),r(null),window.clearTimeout(o.current)},error:n,copied:i}}var M={root:`m_b183c0a2`},N=v(),P=t((e,{color:t})=>({root:{"--code-bg":t?u(t,e):void 0}})),F=i(e=>{let t=_(`Code`,null,e),{classNames:n,className:r,style:i,styles:a,unstyled:o,vars:s,color:c,block:u,mod:d,attributes:f,...p}=t,h=m({name:`Code`,props:t,classes:M,className:r,style:i,classNames:n,styles:a,unstyled:o,attributes:f,vars:s,varsResolver:P});return(0,N.jsx)(l,{component:u?`pre`:`code`,mod:[{block:u},d],...h(`root`),...p,dir:`ltr`})});F.classes=M,F.varsResolver=P,F.displayName=`@mantine/core/Code`;var I={timeout:1e3};function L(e){let{children:t,timeout:n,value:r,...i}=_(`CopyButton`,I,e),a=j({timeout:n});return(0,N.jsx)(N.Fragment,{children:t({copy:()=>a.copy(r),copied:a.copied,...i})})}L.displayName=`@mantine/core/CopyButton`;function R({label:e,secret:t,onDone:i}){return(0,N.jsx)(n,{color:`yellow`,title:e,role:`status`,"aria-label":e,children:(0,N.jsxs)(r,{gap:`xs`,children:[(0,N.jsx)(c,{size:`sm`,children:`Copy it now: it is not shown again.`}),(0,N.jsx)(F,{block:!0,"data-testid":`secret`,children:t}),(0,N.jsxs)(w,{children:[(0,N.jsx)(L,{value:t,children:({copied:e,copy:t})=>(0,N.jsx)(o,{size:`xs`,onClick:t,color:e?`teal`:void 0,children:e?`Copied`:`Copy`})}),(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:i,children:`Done`})]})]})})}var z=h(`
  query ApiKeys {
    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }
  }
`),B=h(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey { id name prefix }
      secret
      userErrors { field message code }
    }
  }
`),V=h(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey { id revokedAt }
      userErrors { message code }
    }
  }
`),H=[`VIEWER`,`OPERATOR`,`ADMIN`];function U(){let[{data:e,error:t},n]=p({query:z}),[i,a]=(0,A.useState)(``),[l,u]=(0,A.useState)([`OPERATOR`]),[m,h]=(0,A.useState)(null),[_,v]=(0,A.useState)(null),[{fetching:b},S]=f(B),[,k]=f(V),j=()=>n({requestPolicy:`network-only`});async function M(e){e.preventDefault(),v(null),h(null);let t=await S({input:{name:i.trim(),roles:l}});if(t.error)return v(g(t.error));let n=t.data?.createApiKey;if(n&&n.userErrors.length>0)return v(n.userErrors.map(e=>e.message).join(` `));h(n?.secret??null),a(``),j()}async function P(e,t){if(!window.confirm(`Revoke the key ${t}? Integrations using it stop working at once.`))return;v(null);let n=await k({input:{id:e}});if(n.error)return v(g(n.error));let r=n.data?.revokeApiKey.userErrors??[];if(r.length>0)return v(r.map(e=>e.message).join(` `));j()}let F=e?.apiKeys.nodes??[];return(0,N.jsx)(E,{withBorder:!0,p:`md`,children:(0,N.jsxs)(r,{children:[(0,N.jsx)(s,{order:2,size:`h4`,children:`API keys`}),(0,N.jsxs)(c,{size:`sm`,c:`dimmed`,children:[`For integrations: send a key as `,(0,N.jsx)(`code`,{children:`Authorization: Bearer inv_…`}),`.`]}),(0,N.jsx)(d,{message:t?g(t):_}),m&&(0,N.jsx)(R,{label:`New API key`,secret:m,onDone:()=>h(null)}),(0,N.jsx)(O,{label:`API keys`,headers:[`Name`,`Key`,`Roles`,`Created`,`Last used`,`Status`,``],minWidth:760,empty:e&&F.length===0?`No API keys yet.`:null,children:F.map(e=>(0,N.jsxs)(T.Tr,{children:[(0,N.jsx)(T.Td,{children:e.name}),(0,N.jsx)(T.Td,{children:(0,N.jsxs)(`code`,{children:[e.prefix,`…`]})}),(0,N.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,N.jsxs)(T.Td,{children:[y(e.createdAt),` by `,e.createdBy]}),(0,N.jsx)(T.Td,{children:e.lastUsedAt?y(e.lastUsedAt):`never`}),(0,N.jsx)(T.Td,{children:e.revokedAt?(0,N.jsx)(C,{color:`gray`,children:`revoked`}):e.expiresAt&&new Date(e.expiresAt)<new Date?(0,N.jsx)(C,{color:`gray`,children:`expired`}):(0,N.jsx)(C,{color:`teal`,children:`active`})}),(0,N.jsx)(T.Td,{children:!e.revokedAt&&(0,N.jsx)(o,{size:`xs`,variant:`default`,color:`red`,onClick:()=>P(e.id,e.name),"aria-label":`Revoke ${e.name}`,children:`Revoke`})})]},e.id))}),(0,N.jsx)(`form`,{onSubmit:M,children:(0,N.jsxs)(r,{gap:`sm`,children:[(0,N.jsx)(D,{label:`Key name`,required:!0,value:i,onChange:e=>a(e.currentTarget.value),maw:360}),(0,N.jsx)(x.Group,{label:`Key roles`,value:l,onChange:e=>u(e),children:(0,N.jsx)(w,{mt:`xs`,children:H.map(e=>(0,N.jsx)(x,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,N.jsx)(w,{children:(0,N.jsx)(o,{type:`submit`,loading:b,children:`Create key`})})]})})]})})}var W=h(`
  query WebhookEndpoints {
    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }
  }
`),G=h(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }
    }
  }
`),K=h(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint { id }
      secret
      userErrors { field message code }
    }
  }
`),q=h(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint { id enabled disabledReason }
      userErrors { message code }
    }
  }
`),J=h(`
  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      delivery { id status attempts }
      userErrors { message code }
    }
  }
`),Y={PENDING:`blue`,DELIVERED:`teal`,FAILED:`red`};function X({endpointId:e,url:t}){let[{data:n,error:i,fetching:a},l]=p({query:G,variables:{endpointId:e}}),[u,m]=(0,A.useState)(null),[,h]=f(J),_=()=>l({requestPolicy:`network-only`});async function v(e){m(null);let t=await h({input:{deliveryId:e}});if(t.error)return m(g(t.error));let n=t.data?.redeliverWebhook.userErrors??[];if(n.length>0)return m(n.map(e=>e.message).join(` `));_()}let b=n?.webhookDeliveries.nodes??[];return(0,N.jsxs)(r,{gap:`xs`,children:[(0,N.jsxs)(w,{justify:`space-between`,children:[(0,N.jsxs)(s,{order:3,size:`h5`,children:[`Deliveries to `,t]}),(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:_,loading:a,children:`Refresh`})]}),(0,N.jsx)(d,{message:i?g(i):u}),(0,N.jsx)(O,{label:`Deliveries`,headers:[`Created`,`Event`,`Status`,`Attempts`,`Last answer`,``],minWidth:720,empty:n&&b.length===0?`Nothing sent yet.`:null,children:b.map(e=>(0,N.jsxs)(T.Tr,{children:[(0,N.jsx)(T.Td,{children:y(e.createdAt)}),(0,N.jsxs)(T.Td,{children:[e.eventType,` `,(0,N.jsx)(c,{span:!0,size:`xs`,c:`dimmed`,children:e.eventId})]}),(0,N.jsx)(T.Td,{children:(0,N.jsx)(C,{color:Y[e.status],children:e.status.toLowerCase()})}),(0,N.jsx)(T.Td,{className:`num`,children:e.attempts}),(0,N.jsxs)(T.Td,{children:[e.lastStatusCode?`HTTP ${e.lastStatusCode}`:e.lastError??``,e.lastLatencyMs==null?``:` (${e.lastLatencyMs} ms)`]}),(0,N.jsx)(T.Td,{children:(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:()=>v(e.id),children:`Redeliver`})})]},e.id))})]})}function Z(){let[{data:e,error:t},n]=p({query:W}),[i,a]=(0,A.useState)(``),[l,u]=(0,A.useState)(`*`),[m,h]=(0,A.useState)(``),[_,v]=(0,A.useState)(null),[b,x]=(0,A.useState)(null),[S,k]=(0,A.useState)(null),[{fetching:j},M]=f(K),[,P]=f(q),F=()=>n({requestPolicy:`network-only`});async function I(e){e.preventDefault(),x(null),v(null);let t=l.split(/[\s,]+/).filter(Boolean),n=await M({input:{url:i.trim(),eventTypes:t,description:m.trim()||void 0}});if(n.error)return x(g(n.error));let r=n.data?.createWebhookEndpoint;if(r&&r.userErrors.length>0)return x(r.userErrors.map(e=>e.message).join(` `));v(r?.secret??null),a(``),h(``),F()}async function L(e,t){x(null);let n=await P({input:{id:e,enabled:t}});if(n.error)return x(g(n.error));let r=n.data?.updateWebhookEndpoint.userErrors??[];if(r.length>0)return x(r.map(e=>e.message).join(` `));F()}let z=e?.webhookEndpoints.nodes??[],B=z.find(e=>e.id===S);return(0,N.jsx)(E,{withBorder:!0,p:`md`,children:(0,N.jsxs)(r,{children:[(0,N.jsx)(s,{order:2,size:`h4`,children:`Webhooks`}),(0,N.jsx)(c,{size:`sm`,c:`dimmed`,children:`Signed POSTs of changes to your endpoints, in commit order (Standard Webhooks).`}),(0,N.jsx)(d,{message:t?g(t):b}),_&&(0,N.jsx)(R,{label:`Signing secret`,secret:_,onDone:()=>v(null)}),(0,N.jsx)(O,{label:`Webhook endpoints`,headers:[`URL`,`Events`,`Status`,`Created`,``],minWidth:760,empty:e&&z.length===0?`No endpoints yet.`:null,children:z.map(e=>(0,N.jsxs)(T.Tr,{children:[(0,N.jsxs)(T.Td,{children:[e.url,e.description&&(0,N.jsx)(c,{size:`xs`,c:`dimmed`,children:e.description})]}),(0,N.jsx)(T.Td,{children:e.eventTypes.join(`, `)}),(0,N.jsxs)(T.Td,{children:[e.enabled?(0,N.jsx)(C,{color:`teal`,children:`enabled`}):(0,N.jsx)(C,{color:`gray`,children:`disabled`}),e.disabledReason&&(0,N.jsx)(c,{size:`xs`,c:`dimmed`,children:e.disabledReason})]}),(0,N.jsx)(T.Td,{children:y(e.createdAt)}),(0,N.jsx)(T.Td,{children:(0,N.jsxs)(w,{gap:`xs`,wrap:`nowrap`,children:[(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:()=>L(e.id,!e.enabled),children:e.enabled?`Disable`:`Enable`}),(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:()=>k(S===e.id?null:e.id),children:S===e.id?`Hide deliveries`:`Deliveries`})]})})]},e.id))}),B&&(0,N.jsx)(X,{endpointId:B.id,url:B.url}),(0,N.jsx)(`form`,{onSubmit:I,children:(0,N.jsxs)(r,{gap:`sm`,children:[(0,N.jsx)(D,{label:`Endpoint URL`,required:!0,placeholder:`https://example.com/webhooks`,value:i,onChange:e=>a(e.currentTarget.value),maw:480}),(0,N.jsx)(D,{label:`Event types`,description:`stock.changed, alert.raised, alert.resolved, reservation.expired, report.completed, or * for all`,value:l,onChange:e=>u(e.currentTarget.value),maw:480}),(0,N.jsx)(D,{label:`Description`,value:m,onChange:e=>h(e.currentTarget.value),maw:480}),(0,N.jsx)(w,{children:(0,N.jsx)(o,{type:`submit`,loading:j,children:`Add endpoint`})})]})})]})})}var Q=h(`
  query TenantSettingsPage {
    tenantSettings { tenantId name defaultReservationTtlSeconds }
  }
`),$=h(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      settings { tenantId name defaultReservationTtlSeconds }
      userErrors { message code }
    }
  }
`),ee=h(`
  query UsersPage {
    users(first: 100) { nodes { id email name roles lastSignInAt } }
  }
`),te=h(`
  query Invitations {
    invitations { id email roles invitedBy createdAt expiresAt }
  }
`),ne=h(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) { userErrors { message code } }
  }
`),re=h(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      invitation { id email roles expiresAt acceptUrl emailSent }
      userErrors { message code }
    }
  }
`);function ie({canEdit:e}){let[{data:t,error:n}]=p({query:Q}),[i,a]=(0,A.useState)(``),[l,u]=(0,A.useState)(null),[m,h]=(0,A.useState)(null),[{fetching:_},v]=f($),y=t?.tenantSettings.defaultReservationTtlSeconds;(0,A.useEffect)(()=>{a(y==null?``:y/3600)},[y]);async function x(e){e.preventDefault(),u(null),h(null);let t=i===``?null:Math.round(Number(i)*3600),n=await v({input:{defaultReservationTtlSeconds:t}});if(n.error)return h(g(n.error));let r=n.data?.updateTenantSettings.userErrors??[];if(r.length>0)return h(r.map(e=>e.message).join(` `));u(`Saved.`)}return(0,N.jsx)(E,{withBorder:!0,p:`md`,children:(0,N.jsxs)(r,{children:[(0,N.jsx)(s,{order:2,size:`h4`,children:`Business`}),(0,N.jsx)(d,{message:n?g(n):m}),(0,N.jsxs)(c,{children:[`Name: `,(0,N.jsx)(`strong`,{children:t?.tenantSettings.name})]}),(0,N.jsxs)(c,{size:`sm`,c:`dimmed`,children:[`Business id: `,t?.tenantSettings.tenantId]}),(0,N.jsx)(`form`,{onSubmit:x,children:(0,N.jsxs)(w,{align:`flex-end`,wrap:`wrap`,children:[(0,N.jsx)(b,{label:`Reservations expire after (hours)`,description:`Empty: reservations without an expiry never expire.`,min:0,value:i,onChange:a,disabled:!e,maw:320}),e&&(0,N.jsx)(o,{type:`submit`,loading:_,children:`Save`})]})}),(0,N.jsx)(c,{role:`status`,size:`sm`,c:`teal`,children:l})]})})}var ae=[`VIEWER`,`OPERATOR`,`ADMIN`];function oe(){let[{data:e,error:t},n]=p({query:ee}),[i,a]=(0,A.useState)(``),[l,u]=(0,A.useState)([`OPERATOR`]),[m,h]=(0,A.useState)(null),[_,v]=(0,A.useState)(null),[{fetching:b},S]=f(re),[{data:C},k]=p({query:te}),[,j]=f(ne);async function M(e){v(null);let t=await j({input:{id:e}});if(t.error)return v(g(t.error));let n=t.data?.revokeInvitation.userErrors??[];if(n.length>0)return v(n.map(e=>e.message).join(` `));k({requestPolicy:`network-only`})}async function P(e){e.preventDefault(),v(null),h(null);let t=await S({input:{email:i.trim(),roles:l}});if(t.error)return v(g(t.error));let r=t.data?.inviteUser;if(r&&r.userErrors.length>0)return v(r.userErrors.map(e=>e.message).join(` `));h(r?.invitation?.acceptUrl??null),a(``),n({requestPolicy:`network-only`}),k({requestPolicy:`network-only`})}let F=e?.users.nodes??[];return(0,N.jsx)(E,{withBorder:!0,p:`md`,children:(0,N.jsxs)(r,{children:[(0,N.jsx)(s,{order:2,size:`h4`,children:`People`}),(0,N.jsx)(d,{message:t?g(t):_}),(0,N.jsx)(O,{label:`People`,headers:[`Email`,`Name`,`Roles`,`Last signed in`],minWidth:520,children:F.map(e=>(0,N.jsxs)(T.Tr,{children:[(0,N.jsx)(T.Td,{children:e.email}),(0,N.jsx)(T.Td,{children:e.name}),(0,N.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,N.jsx)(T.Td,{children:y(e.lastSignInAt)})]},e.id))}),(C?.invitations.length??0)>0&&(0,N.jsx)(O,{label:`Invitations`,headers:[`Invited`,`Roles`,`By`,`Expires`,``],minWidth:560,children:C?.invitations.map(e=>(0,N.jsxs)(T.Tr,{children:[(0,N.jsx)(T.Td,{children:e.email}),(0,N.jsx)(T.Td,{children:e.roles.map(e=>e.toLowerCase()).join(`, `)}),(0,N.jsx)(T.Td,{children:e.invitedBy}),(0,N.jsx)(T.Td,{children:y(e.expiresAt)}),(0,N.jsx)(T.Td,{children:(0,N.jsx)(o,{size:`xs`,variant:`default`,onClick:()=>M(e.id),"aria-label":`Revoke the invitation of ${e.email}`,children:`Revoke`})})]},e.id))}),(0,N.jsx)(`form`,{onSubmit:P,children:(0,N.jsxs)(r,{gap:`sm`,children:[(0,N.jsx)(D,{label:`Invite by email`,type:`email`,value:i,onChange:e=>a(e.currentTarget.value),maw:360}),(0,N.jsx)(x.Group,{label:`Roles`,value:l,onChange:e=>u(e),children:(0,N.jsx)(w,{mt:`xs`,children:ae.map(e=>(0,N.jsx)(x,{value:e,label:e.charAt(0)+e.slice(1).toLowerCase()},e))})}),(0,N.jsx)(w,{children:(0,N.jsx)(o,{type:`submit`,loading:b,children:`Invite`})})]})}),m&&(0,N.jsxs)(c,{role:`status`,size:`sm`,children:[`Invitation link: `,(0,N.jsx)(`code`,{children:m})]})]})})}function se(){let e=S(),t=k(e,`admin`);return(0,N.jsxs)(r,{children:[(0,N.jsx)(s,{order:1,size:`h2`,children:`Settings`}),(0,N.jsx)(ie,{canEdit:t}),t&&e?.kind===`password`&&(0,N.jsx)(oe,{}),t&&(0,N.jsx)(U,{}),t&&(0,N.jsx)(Z,{})]})}export{se as default};