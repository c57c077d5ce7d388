import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,V as r,a as i,c as a,l as o,o as s,r as c,st as l,t as u,zt as d}from"./format-B7GgxVSy.js";import{i as f,l as p}from"./index-BdQcOUMt.js";import{n as m,t as h}from"./Table-W3PzY21R.js";import{t as g}from"./Modal-r7kYvla6.js";import{t as _}from"./Switch-D-p2HCTc.js";import{t as v}from"./TextInput--rLRI2cJ.js";import{n as y,t as b}from"./userErrors-D9N-tCbw.js";import{t as x}from"./DataTable-CVldx7bq.js";import{n as S,t as C}from"./Pager-AIoaoW16.js";import{n as w}from"./session-CrdwaJyG.js";var T=e(d(),1),E=l(),D=s(`
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
`);function M({location:e,onDone:r}){let[o,s]=(0,T.useState)(e.name),[l,u]=(0,T.useState)(null),[{fetching:d},f]=a(k);async function p(t){if(t.preventDefault(),!o.trim())return u(`Enter a name.`);if(o.trim().length>200)return u(`A name has at most 200 characters.`);let n=await f({input:{id:e.id,name:o.trim()}});if(n.error)return u(c(n.error));let i=b(n.data?.updateLocation.userErrors);if(i)return u(i);r()}return(0,E.jsx)(`form`,{onSubmit:p,noValidate:!0,children:(0,E.jsxs)(t,{children:[(0,E.jsx)(i,{message:l}),(0,E.jsx)(v,{label:`Name`,required:!0,value:o,onChange:e=>s(e.currentTarget.value),"data-autofocus":!0}),(0,E.jsx)(m,{justify:`flex-end`,children:(0,E.jsx)(n,{type:`submit`,loading:d,children:`Save`})})]})})}function N({onDone:e}){let[r,o]=(0,T.useState)(``),[s,l]=(0,T.useState)(``),[u,d]=(0,T.useState)(null),[{fetching:f},p]=a(O);async function h(t){if(t.preventDefault(),!r.trim()||!s.trim()){d(`Enter a code and a name.`);return}let n=await p({input:{code:r.trim(),name:s.trim()}});if(n.error)return d(c(n.error));let i=n.data?.createLocation.userErrors??[];if(i.length>0)return d(i.map(e=>e.message).join(` `));e()}return(0,E.jsx)(`form`,{onSubmit:h,noValidate:!0,children:(0,E.jsxs)(t,{children:[(0,E.jsx)(i,{message:u}),(0,E.jsx)(v,{label:`Code`,required:!0,value:r,onChange:e=>o(e.currentTarget.value),"data-autofocus":!0}),(0,E.jsx)(v,{label:`Name`,required:!0,value:s,onChange:e=>l(e.currentTarget.value)}),(0,E.jsx)(m,{justify:`flex-end`,children:(0,E.jsx)(n,{type:`submit`,loading:f,children:`Save`})})]})})}function P(){let e=f(),s=S(),l=w(e,`admin`),[d,O]=(0,T.useState)(!1),[{data:k,fetching:P,error:F},I]=o({query:D,variables:{first:50,after:s.after,includeArchived:d}}),[L,R]=(0,T.useState)(``),[z,B]=(0,T.useState)(!1),[V,H]=(0,T.useState)(null),[U,W]=(0,T.useState)(null),[,G]=a(A),[,K]=a(j),q=()=>I({requestPolicy:`network-only`});async function J(e){let t=e.archivedAt?await K({input:{id:e.id}}):await G({input:{id:e.id}});if(t.error)return c(t.error);let n=t.data&&(`archiveLocation`in t.data?t.data.archiveLocation:t.data.unarchiveLocation);return b(n?.userErrors)||(q(),null)}let Y=L.trim().toLowerCase(),X=(k?.locations.nodes??[]).filter(e=>!Y||e.code.toLowerCase().startsWith(Y)||e.name.toLowerCase().includes(Y));return(0,E.jsxs)(t,{children:[(0,E.jsxs)(m,{justify:`space-between`,children:[(0,E.jsx)(r,{order:1,size:`h2`,children:`Locations`}),l&&(0,E.jsx)(n,{onClick:()=>B(!0),children:`New location`})]}),(0,E.jsxs)(m,{align:`flex-end`,children:[(0,E.jsx)(v,{label:`Search`,type:`search`,placeholder:`Code or name`,value:L,onChange:e=>R(e.currentTarget.value),maw:360}),(0,E.jsx)(_,{label:`Include archived`,checked:d,onChange:e=>{O(e.currentTarget.checked),s.reset()},mb:8})]}),(0,E.jsx)(i,{message:F?c(F):null}),(0,E.jsx)(x,{label:`Locations`,headers:[`Code`,`Name`,`Created`,`Status`,...l?[`Actions`]:[]],minWidth:360,empty:!P&&X.length===0?Y?`No location on this page matches.`:`No locations yet.`:null,children:X.map(e=>(0,E.jsxs)(h.Tr,{children:[(0,E.jsx)(h.Td,{children:e.code}),(0,E.jsx)(h.Td,{children:e.name}),(0,E.jsx)(h.Td,{children:u(e.createdAt)}),(0,E.jsx)(h.Td,{children:e.archivedAt?(0,E.jsx)(p,{color:`gray`,children:`Archived`}):`Active`}),l&&(0,E.jsx)(h.Td,{children:(0,E.jsxs)(m,{gap:`xs`,wrap:`nowrap`,children:[(0,E.jsx)(n,{size:`xs`,variant:`default`,onClick:()=>H(e),"aria-label":`Edit ${e.code}`,children:`Edit`}),(0,E.jsx)(n,{size:`xs`,variant:`default`,onClick:()=>W(e),"aria-label":`${e.archivedAt?`Unarchive`:`Archive`} ${e.code}`,children:e.archivedAt?`Unarchive`:`Archive`})]})})]},e.id))}),(0,E.jsx)(C,{page:s.page,hasNext:!!k?.locations.pageInfo.hasNextPage,onPrevious:s.previous,onNext:()=>s.next(k?.locations.pageInfo.endCursor)}),(0,E.jsx)(g,{opened:z,onClose:()=>B(!1),title:`New location`,children:(0,E.jsx)(N,{onDone:()=>{B(!1),q()}})}),(0,E.jsx)(g,{opened:V!==null,onClose:()=>H(null),title:V?`Edit ${V.code}`:``,children:V&&(0,E.jsx)(M,{location:V,onDone:()=>{H(null),q()}},V.id)}),(0,E.jsx)(y,{opened:U!==null,title:U?.archivedAt?`Unarchive ${U.code}`:`Archive ${U?.code??``}`,message:U?.archivedAt?`It takes new stock again.`:`It takes no new stock. A location that still holds stock cannot be archived; its history stays.`,confirmLabel:U?.archivedAt?`Unarchive`:`Archive`,onConfirm:()=>U?J(U):Promise.resolve(null),onClose:()=>W(null)})]})}export{P as default};