import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,U as n,W as r,a as i,ct as a,l as o,o as s,r as c,t as l,u}from"./format-DQnp7__F.js";import{n as d,t as f}from"./Table-DSvXy0lg.js";import{t as p}from"./Modal-DcVQ9cdk.js";import{t as m}from"./TextInput-BwmA1Jdp.js";import{i as h,n as g,r as _,t as v}from"./ListTitle-C2eauPI7.js";import{t as y}from"./DataTable-B0ZOeyWd.js";import{n as b,t as x}from"./Pager-CPsM-POz.js";import{n as S}from"./session-CrdwaJyG.js";import{t as C}from"./userErrors-wH9ieYke.js";import{i as w}from"./index-DwJ7I-LU.js";var T=e(t(),1),E=a(),D=s(`
  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {
    locations(first: $first, after: $after, includeArchived: $includeArchived) {
      nodes { id code name createdAt archivedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`),O=s(`
  mutation CreateLocation($input: CreateLocationInput!) {
    createLocation(input: $input) {
      location { id code name createdAt archivedAt }
      userErrors { field message code }
    }
  }
`),k=s(`
  mutation UpdateLocation($input: UpdateLocationInput!) {
    updateLocation(input: $input) {
      location { id code name createdAt archivedAt }
      userErrors { field message code }
    }
  }
`),A=s(`
  mutation ArchiveLocation($input: ArchiveLocationInput!) {
    archiveLocation(input: $input) {
      location { id archivedAt }
      userErrors { field message code }
    }
  }
`),j=s(`
  mutation UnarchiveLocation($input: ArchiveLocationInput!) {
    unarchiveLocation(input: $input) {
      location { id archivedAt }
      userErrors { field message code }
    }
  }
`);function M({location:e,onDone:t}){let[a,s]=(0,T.useState)(e.name),[l,u]=(0,T.useState)(null),[{fetching:f},p]=o(k);async function h(n){if(n.preventDefault(),!a.trim())return u(`Enter a name.`);if(a.trim().length>200)return u(`A name has at most 200 characters.`);let r=await p({input:{id:e.id,name:a.trim()}});if(r.error)return u(c(r.error));let i=C(r.data?.updateLocation.userErrors);if(i)return u(i);t()}return(0,E.jsx)(`form`,{onSubmit:h,noValidate:!0,children:(0,E.jsxs)(n,{children:[(0,E.jsx)(i,{message:l}),(0,E.jsx)(m,{label:`Name`,required:!0,value:a,onChange:e=>s(e.currentTarget.value),"data-autofocus":!0}),(0,E.jsx)(d,{justify:`flex-end`,children:(0,E.jsx)(r,{type:`submit`,loading:f,children:`Save`})})]})})}function N({onDone:e}){let[t,a]=(0,T.useState)(``),[s,l]=(0,T.useState)(``),[u,f]=(0,T.useState)(null),[{fetching:p},h]=o(O);async function g(n){if(n.preventDefault(),!t.trim()||!s.trim()){f(`Enter a code and a name.`);return}let r=await h({input:{code:t.trim(),name:s.trim()}});if(r.error)return f(c(r.error));let i=r.data?.createLocation.userErrors??[];if(i.length>0)return f(i.map(e=>e.message).join(` `));e()}return(0,E.jsx)(`form`,{onSubmit:g,noValidate:!0,children:(0,E.jsxs)(n,{children:[(0,E.jsx)(i,{message:u}),(0,E.jsx)(m,{label:`Code`,required:!0,value:t,onChange:e=>a(e.currentTarget.value),"data-autofocus":!0}),(0,E.jsx)(m,{label:`Name`,required:!0,value:s,onChange:e=>l(e.currentTarget.value)}),(0,E.jsx)(d,{justify:`flex-end`,children:(0,E.jsx)(r,{type:`submit`,loading:p,children:`Save`})})]})})}function P(){let e=w(),t=b(),r=S(e,`admin`),[a,o]=(0,T.useState)(!1),[{data:s,fetching:C,error:O},k]=u({query:D,variables:{first:50,after:t.after,includeArchived:a}}),[P,F]=(0,T.useState)(``),[I,L]=(0,T.useState)(!1),[R,z]=(0,T.useState)(null),[B,V]=(0,T.useState)(null),H=()=>k({requestPolicy:`network-only`}),U=P.trim().toLowerCase(),W=(s?.locations.nodes??[]).filter(e=>!U||e.code.toLowerCase().startsWith(U)||e.name.toLowerCase().includes(U));return(0,E.jsxs)(n,{children:[(0,E.jsx)(v,{title:`Locations`,newLabel:`New location`,canCreate:r,onNew:()=>L(!0)}),(0,E.jsxs)(d,{align:`flex-end`,children:[(0,E.jsx)(m,{label:`Search`,type:`search`,placeholder:`Code or name`,value:P,onChange:e=>F(e.currentTarget.value),maw:360}),(0,E.jsx)(h,{checked:a,onChange:o,cursors:t})]}),(0,E.jsx)(i,{message:O?c(O):null}),(0,E.jsx)(y,{label:`Locations`,headers:[`Code`,`Name`,`Created`,`Status`,...r?[`Actions`]:[]],minWidth:360,empty:!C&&W.length===0?U?`No location on this page matches.`:`No locations yet.`:null,children:W.map(e=>(0,E.jsxs)(f.Tr,{children:[(0,E.jsx)(f.Td,{children:e.code}),(0,E.jsx)(f.Td,{children:e.name}),(0,E.jsx)(f.Td,{children:l(e.createdAt)}),(0,E.jsx)(g,{row:e,name:e.code,admin:r,onEdit:()=>z(e),onArchive:()=>V(e)})]},e.id))}),(0,E.jsx)(x,{cursors:t,pageInfo:s?.locations.pageInfo}),(0,E.jsx)(p,{opened:I,onClose:()=>L(!1),title:`New location`,children:(0,E.jsx)(N,{onDone:()=>{L(!1),H()}})}),(0,E.jsx)(p,{opened:R!==null,onClose:()=>z(null),title:R?`Edit ${R.code}`:``,children:R&&(0,E.jsx)(M,{location:R,onDone:()=>{z(null),H()}},R.id)}),(0,E.jsx)(_,{row:B,name:B?.code,archiveMessage:`It takes no new stock. A location that still holds stock cannot be archived; its history stays.`,archive:A,unarchive:j,onDone:H,onClose:()=>V(null)})]})}export{P as default};