/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OpenAlertCount {\n    alerts(status: OPEN, first: 100) { nodes { id } pageInfo { hasNextPage } }\n  }\n": typeof types.OpenAlertCountDocument,
    "\n  subscription AlertRaisedBadge {\n    alertRaised { id }\n  }\n": typeof types.AlertRaisedBadgeDocument,
    "\n  mutation SignOut {\n    signOut(input: {}) { userErrors { message } }\n  }\n": typeof types.SignOutDocument,
    "\n  query Me {\n    me {\n      user { id email name }\n      tenant { id name }\n      tenants { tenant { id name } roles }\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment StockChangeResult on StockChangePayload {\n    movements { id }\n    stockLevels { item { id } location { id } onHand available reserved incoming version updatedAt }\n    userErrors { field message code }\n  }\n": typeof types.StockChangeResultFragmentDoc,
    "mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ...StockChangeResult } }": typeof types.ReceiveStockDocument,
    "mutation ShipStock($input: ShipStockInput!) { shipStock(input: $input) { ...StockChangeResult } }": typeof types.ShipStockDocument,
    "mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ...StockChangeResult } }": typeof types.TransferStockDocument,
    "mutation CountStock($input: CountStockInput!) { countStock(input: $input) { ...StockChangeResult } }": typeof types.CountStockDocument,
    "mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ...StockChangeResult } }": typeof types.AdjustStockDocument,
    "mutation ChangeStockState($input: ChangeStockStateInput!) { changeStockState(input: $input) { ...StockChangeResult } }": typeof types.ChangeStockStateDocument,
    "\n  mutation RefreshSession {\n    refreshSession(input: {}) {\n      accessToken\n      tenant { id name }\n      userErrors { message code }\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  query CatalogueItems {\n    items(first: 250, includeArchived: true) { nodes { id sku name unit barcode archivedAt } pageInfo { hasNextPage } }\n  }\n": typeof types.CatalogueItemsDocument,
    "\n  query CatalogueLocations {\n    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }\n  }\n": typeof types.CatalogueLocationsDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {\n    alerts(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        status\n        item { id sku name }\n        location { id code }\n        available\n        threshold\n        raisedAt\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AlertsPageDocument,
    "\n  subscription AlertsPageRaised {\n    alertRaised { id }\n  }\n": typeof types.AlertsPageRaisedDocument,
    "\n  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {\n    acknowledgeAlert(input: $input) {\n      alert { id status acknowledgedAt acknowledgedBy }\n      userErrors { message code }\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      sku\n      name\n      unit\n      reorderPoint\n      stockLevels {\n        location { id code name }\n        onHand\n        available\n        reserved\n        damaged\n        qualityControl\n        incoming\n        updatedAt\n      }\n    }\n  }\n": typeof types.ItemPageDocument,
    "\n  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {\n    movements(itemId: $itemId, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        quantity\n        fromState\n        toState\n        location { id code }\n        toLocation { id code }\n        actor\n        reference\n        reason\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ItemLedgerDocument,
    "\n  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {\n    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {\n      onHand\n      available\n      reserved\n      damaged\n      qualityControl\n      incoming\n    }\n  }\n": typeof types.ItemLevelAsOfDocument,
    "\n  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {\n    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {\n      nodes { id sku name unit reorderPoint barcode archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ItemsPageDocument,
    "\n  mutation CreateItem($input: CreateItemInput!) {\n    createItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.CreateItemDocument,
    "\n  mutation UpdateItem($input: UpdateItemInput!) {\n    updateItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.UpdateItemDocument,
    "\n  mutation ArchiveItem($input: ArchiveItemInput!) {\n    archiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.ArchiveItemDocument,
    "\n  mutation UnarchiveItem($input: ArchiveItemInput!) {\n    unarchiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.UnarchiveItemDocument,
    "\n  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {\n    locations(first: $first, after: $after, includeArchived: $includeArchived) {\n      nodes { id code name createdAt archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.LocationsPageDocument,
    "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.CreateLocationDocument,
    "\n  mutation UpdateLocation($input: UpdateLocationInput!) {\n    updateLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.UpdateLocationDocument,
    "\n  mutation ArchiveLocation($input: ArchiveLocationInput!) {\n    archiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.ArchiveLocationDocument,
    "\n  mutation UnarchiveLocation($input: ArchiveLocationInput!) {\n    unarchiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": typeof types.UnarchiveLocationDocument,
    "\n  query ReportsPage {\n    reports(first: 25) {\n      nodes { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n    }\n  }\n": typeof types.ReportsPageDocument,
    "\n  mutation RequestReport($input: RequestReportInput!) {\n    requestReport(input: $input) {\n      report { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n      userErrors { field message code }\n    }\n  }\n": typeof types.RequestReportDocument,
    "\n  subscription ReportUpdated($id: ID!) {\n    reportUpdated(id: $id) { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n  }\n": typeof types.ReportUpdatedDocument,
    "\n  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {\n    reservations(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        location { id code }\n        quantity\n        reservedQuantity\n        status\n        reference\n        expiresAt\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ReservationsPageDocument,
    "\n  mutation ReleaseReservation($input: ReleaseReservationInput!) {\n    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n": typeof types.ReleaseReservationDocument,
    "\n  mutation FulfillReservation($input: FulfillReservationInput!) {\n    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n": typeof types.FulfillReservationDocument,
    "\n  query TenantSettingsPage {\n    tenantSettings { tenantId name defaultReservationTtlSeconds }\n  }\n": typeof types.TenantSettingsPageDocument,
    "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      settings { tenantId name defaultReservationTtlSeconds }\n      userErrors { message code }\n    }\n  }\n": typeof types.UpdateTenantSettingsDocument,
    "\n  query UsersPage {\n    users(first: 100) { nodes { id email name roles lastSignInAt } }\n  }\n": typeof types.UsersPageDocument,
    "\n  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {\n    updateUserRoles(input: $input) {\n      user { id roles }\n      userErrors { field message code }\n    }\n  }\n": typeof types.UpdateUserRolesDocument,
    "\n  mutation RemoveUser($input: RemoveUserInput!) {\n    removeUser(input: $input) {\n      user { id }\n      userErrors { field message code }\n    }\n  }\n": typeof types.RemoveUserDocument,
    "\n  query Invitations {\n    invitations { id email roles invitedBy createdAt expiresAt }\n  }\n": typeof types.InvitationsDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) { userErrors { message code } }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      invitation { id email roles expiresAt acceptUrl emailSent }\n      userErrors { message code }\n    }\n  }\n": typeof types.InviteUserDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  query StockPage($first: Int!, $after: String) {\n    items(first: $first, after: $after) {\n      nodes {\n        id\n        sku\n        name\n        stockLevels {\n          location { id code name }\n          onHand\n          available\n          reserved\n          incoming\n          version\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    locations(first: 250) { nodes { id code name } }\n  }\n": typeof types.StockPageDocument,
    "\n  query StockItemByCode($code: String!) {\n    byBarcode: item(barcode: $code) { ...StockItem }\n    bySku: item(sku: $code) { ...StockItem }\n  }\n  fragment StockItem on Item {\n    id\n    sku\n    name\n    stockLevels {\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n": typeof types.StockItemByCodeDocument,
    "\n  subscription StockAvailability {\n    availabilityChanged {\n      item { id }\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n": typeof types.StockAvailabilityDocument,
    "\n  subscription StockResume($after: String) {\n    stockChanged(after: $after) {\n      cursor\n      stockLevels {\n        item { id }\n        location { id code name }\n        onHand\n        available\n        reserved\n        incoming\n        version\n      }\n    }\n  }\n": typeof types.StockResumeDocument,
    "\n  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {\n    transfers(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        fromLocation { id code }\n        toLocation { id code }\n        quantity\n        outstandingQuantity\n        receivedQuantity\n        status\n        reference\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.TransfersPageDocument,
    "\n  mutation ReceiveTransfer($input: ReceiveTransferInput!) {\n    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n": typeof types.ReceiveTransferDocument,
    "\n  mutation CancelTransfer($input: CancelTransferInput!) {\n    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n": typeof types.CancelTransferDocument,
    "\n  query ApiKeys {\n    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey { id name prefix }\n      secret\n      userErrors { field message code }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey { id revokedAt }\n      userErrors { message code }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query WebhookEndpoints {\n    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }\n  }\n": typeof types.WebhookEndpointsDocument,
    "\n  query WebhookDeliveries($endpointId: ID!) {\n    webhookDeliveries(endpointId: $endpointId, first: 50) {\n      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      endpoint { id }\n      secret\n      userErrors { field message code }\n    }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      endpoint { id enabled disabledReason }\n      userErrors { message code }\n    }\n  }\n": typeof types.UpdateWebhookEndpointDocument,
    "\n  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {\n    redeliverWebhook(input: $input) {\n      delivery { id status attempts }\n      userErrors { message code }\n    }\n  }\n": typeof types.RedeliverWebhookDocument,
};
const documents: Documents = {
    "\n  query OpenAlertCount {\n    alerts(status: OPEN, first: 100) { nodes { id } pageInfo { hasNextPage } }\n  }\n": types.OpenAlertCountDocument,
    "\n  subscription AlertRaisedBadge {\n    alertRaised { id }\n  }\n": types.AlertRaisedBadgeDocument,
    "\n  mutation SignOut {\n    signOut(input: {}) { userErrors { message } }\n  }\n": types.SignOutDocument,
    "\n  query Me {\n    me {\n      user { id email name }\n      tenant { id name }\n      tenants { tenant { id name } roles }\n    }\n  }\n": types.MeDocument,
    "\n  fragment StockChangeResult on StockChangePayload {\n    movements { id }\n    stockLevels { item { id } location { id } onHand available reserved incoming version updatedAt }\n    userErrors { field message code }\n  }\n": types.StockChangeResultFragmentDoc,
    "mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ...StockChangeResult } }": types.ReceiveStockDocument,
    "mutation ShipStock($input: ShipStockInput!) { shipStock(input: $input) { ...StockChangeResult } }": types.ShipStockDocument,
    "mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ...StockChangeResult } }": types.TransferStockDocument,
    "mutation CountStock($input: CountStockInput!) { countStock(input: $input) { ...StockChangeResult } }": types.CountStockDocument,
    "mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ...StockChangeResult } }": types.AdjustStockDocument,
    "mutation ChangeStockState($input: ChangeStockStateInput!) { changeStockState(input: $input) { ...StockChangeResult } }": types.ChangeStockStateDocument,
    "\n  mutation RefreshSession {\n    refreshSession(input: {}) {\n      accessToken\n      tenant { id name }\n      userErrors { message code }\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  query CatalogueItems {\n    items(first: 250, includeArchived: true) { nodes { id sku name unit barcode archivedAt } pageInfo { hasNextPage } }\n  }\n": types.CatalogueItemsDocument,
    "\n  query CatalogueLocations {\n    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }\n  }\n": types.CatalogueLocationsDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {\n    alerts(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        status\n        item { id sku name }\n        location { id code }\n        available\n        threshold\n        raisedAt\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AlertsPageDocument,
    "\n  subscription AlertsPageRaised {\n    alertRaised { id }\n  }\n": types.AlertsPageRaisedDocument,
    "\n  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {\n    acknowledgeAlert(input: $input) {\n      alert { id status acknowledgedAt acknowledgedBy }\n      userErrors { message code }\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      sku\n      name\n      unit\n      reorderPoint\n      stockLevels {\n        location { id code name }\n        onHand\n        available\n        reserved\n        damaged\n        qualityControl\n        incoming\n        updatedAt\n      }\n    }\n  }\n": types.ItemPageDocument,
    "\n  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {\n    movements(itemId: $itemId, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        quantity\n        fromState\n        toState\n        location { id code }\n        toLocation { id code }\n        actor\n        reference\n        reason\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ItemLedgerDocument,
    "\n  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {\n    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {\n      onHand\n      available\n      reserved\n      damaged\n      qualityControl\n      incoming\n    }\n  }\n": types.ItemLevelAsOfDocument,
    "\n  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {\n    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {\n      nodes { id sku name unit reorderPoint barcode archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ItemsPageDocument,
    "\n  mutation CreateItem($input: CreateItemInput!) {\n    createItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.CreateItemDocument,
    "\n  mutation UpdateItem($input: UpdateItemInput!) {\n    updateItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.UpdateItemDocument,
    "\n  mutation ArchiveItem($input: ArchiveItemInput!) {\n    archiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.ArchiveItemDocument,
    "\n  mutation UnarchiveItem($input: ArchiveItemInput!) {\n    unarchiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.UnarchiveItemDocument,
    "\n  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {\n    locations(first: $first, after: $after, includeArchived: $includeArchived) {\n      nodes { id code name createdAt archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.LocationsPageDocument,
    "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.CreateLocationDocument,
    "\n  mutation UpdateLocation($input: UpdateLocationInput!) {\n    updateLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.UpdateLocationDocument,
    "\n  mutation ArchiveLocation($input: ArchiveLocationInput!) {\n    archiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.ArchiveLocationDocument,
    "\n  mutation UnarchiveLocation($input: ArchiveLocationInput!) {\n    unarchiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n": types.UnarchiveLocationDocument,
    "\n  query ReportsPage {\n    reports(first: 25) {\n      nodes { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n    }\n  }\n": types.ReportsPageDocument,
    "\n  mutation RequestReport($input: RequestReportInput!) {\n    requestReport(input: $input) {\n      report { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n      userErrors { field message code }\n    }\n  }\n": types.RequestReportDocument,
    "\n  subscription ReportUpdated($id: ID!) {\n    reportUpdated(id: $id) { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n  }\n": types.ReportUpdatedDocument,
    "\n  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {\n    reservations(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        location { id code }\n        quantity\n        reservedQuantity\n        status\n        reference\n        expiresAt\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ReservationsPageDocument,
    "\n  mutation ReleaseReservation($input: ReleaseReservationInput!) {\n    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n": types.ReleaseReservationDocument,
    "\n  mutation FulfillReservation($input: FulfillReservationInput!) {\n    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n": types.FulfillReservationDocument,
    "\n  query TenantSettingsPage {\n    tenantSettings { tenantId name defaultReservationTtlSeconds }\n  }\n": types.TenantSettingsPageDocument,
    "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      settings { tenantId name defaultReservationTtlSeconds }\n      userErrors { message code }\n    }\n  }\n": types.UpdateTenantSettingsDocument,
    "\n  query UsersPage {\n    users(first: 100) { nodes { id email name roles lastSignInAt } }\n  }\n": types.UsersPageDocument,
    "\n  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {\n    updateUserRoles(input: $input) {\n      user { id roles }\n      userErrors { field message code }\n    }\n  }\n": types.UpdateUserRolesDocument,
    "\n  mutation RemoveUser($input: RemoveUserInput!) {\n    removeUser(input: $input) {\n      user { id }\n      userErrors { field message code }\n    }\n  }\n": types.RemoveUserDocument,
    "\n  query Invitations {\n    invitations { id email roles invitedBy createdAt expiresAt }\n  }\n": types.InvitationsDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) { userErrors { message code } }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      invitation { id email roles expiresAt acceptUrl emailSent }\n      userErrors { message code }\n    }\n  }\n": types.InviteUserDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n": types.SignUpDocument,
    "\n  query StockPage($first: Int!, $after: String) {\n    items(first: $first, after: $after) {\n      nodes {\n        id\n        sku\n        name\n        stockLevels {\n          location { id code name }\n          onHand\n          available\n          reserved\n          incoming\n          version\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    locations(first: 250) { nodes { id code name } }\n  }\n": types.StockPageDocument,
    "\n  query StockItemByCode($code: String!) {\n    byBarcode: item(barcode: $code) { ...StockItem }\n    bySku: item(sku: $code) { ...StockItem }\n  }\n  fragment StockItem on Item {\n    id\n    sku\n    name\n    stockLevels {\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n": types.StockItemByCodeDocument,
    "\n  subscription StockAvailability {\n    availabilityChanged {\n      item { id }\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n": types.StockAvailabilityDocument,
    "\n  subscription StockResume($after: String) {\n    stockChanged(after: $after) {\n      cursor\n      stockLevels {\n        item { id }\n        location { id code name }\n        onHand\n        available\n        reserved\n        incoming\n        version\n      }\n    }\n  }\n": types.StockResumeDocument,
    "\n  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {\n    transfers(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        fromLocation { id code }\n        toLocation { id code }\n        quantity\n        outstandingQuantity\n        receivedQuantity\n        status\n        reference\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.TransfersPageDocument,
    "\n  mutation ReceiveTransfer($input: ReceiveTransferInput!) {\n    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n": types.ReceiveTransferDocument,
    "\n  mutation CancelTransfer($input: CancelTransferInput!) {\n    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n": types.CancelTransferDocument,
    "\n  query ApiKeys {\n    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey { id name prefix }\n      secret\n      userErrors { field message code }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey { id revokedAt }\n      userErrors { message code }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query WebhookEndpoints {\n    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }\n  }\n": types.WebhookEndpointsDocument,
    "\n  query WebhookDeliveries($endpointId: ID!) {\n    webhookDeliveries(endpointId: $endpointId, first: 50) {\n      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      endpoint { id }\n      secret\n      userErrors { field message code }\n    }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      endpoint { id enabled disabledReason }\n      userErrors { message code }\n    }\n  }\n": types.UpdateWebhookEndpointDocument,
    "\n  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {\n    redeliverWebhook(input: $input) {\n      delivery { id status attempts }\n      userErrors { message code }\n    }\n  }\n": types.RedeliverWebhookDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenAlertCount {\n    alerts(status: OPEN, first: 100) { nodes { id } pageInfo { hasNextPage } }\n  }\n"): (typeof documents)["\n  query OpenAlertCount {\n    alerts(status: OPEN, first: 100) { nodes { id } pageInfo { hasNextPage } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertRaisedBadge {\n    alertRaised { id }\n  }\n"): (typeof documents)["\n  subscription AlertRaisedBadge {\n    alertRaised { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut(input: {}) { userErrors { message } }\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut(input: {}) { userErrors { message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      user { id email name }\n      tenant { id name }\n      tenants { tenant { id name } roles }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      user { id email name }\n      tenant { id name }\n      tenants { tenant { id name } roles }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StockChangeResult on StockChangePayload {\n    movements { id }\n    stockLevels { item { id } location { id } onHand available reserved incoming version updatedAt }\n    userErrors { field message code }\n  }\n"): (typeof documents)["\n  fragment StockChangeResult on StockChangePayload {\n    movements { id }\n    stockLevels { item { id } location { id } onHand available reserved incoming version updatedAt }\n    userErrors { field message code }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ShipStock($input: ShipStockInput!) { shipStock(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation ShipStock($input: ShipStockInput!) { shipStock(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CountStock($input: CountStockInput!) { countStock(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation CountStock($input: CountStockInput!) { countStock(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ChangeStockState($input: ChangeStockStateInput!) { changeStockState(input: $input) { ...StockChangeResult } }"): (typeof documents)["mutation ChangeStockState($input: ChangeStockStateInput!) { changeStockState(input: $input) { ...StockChangeResult } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession {\n    refreshSession(input: {}) {\n      accessToken\n      tenant { id name }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession {\n    refreshSession(input: {}) {\n      accessToken\n      tenant { id name }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CatalogueItems {\n    items(first: 250, includeArchived: true) { nodes { id sku name unit barcode archivedAt } pageInfo { hasNextPage } }\n  }\n"): (typeof documents)["\n  query CatalogueItems {\n    items(first: 250, includeArchived: true) { nodes { id sku name unit barcode archivedAt } pageInfo { hasNextPage } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CatalogueLocations {\n    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }\n  }\n"): (typeof documents)["\n  query CatalogueLocations {\n    locations(first: 250) { nodes { id code name } pageInfo { hasNextPage } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {\n    alerts(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        status\n        item { id sku name }\n        location { id code }\n        available\n        threshold\n        raisedAt\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {\n    alerts(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        status\n        item { id sku name }\n        location { id code }\n        available\n        threshold\n        raisedAt\n        acknowledgedAt\n        acknowledgedBy\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertsPageRaised {\n    alertRaised { id }\n  }\n"): (typeof documents)["\n  subscription AlertsPageRaised {\n    alertRaised { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {\n    acknowledgeAlert(input: $input) {\n      alert { id status acknowledgedAt acknowledgedBy }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {\n    acknowledgeAlert(input: $input) {\n      alert { id status acknowledgedAt acknowledgedBy }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      sku\n      name\n      unit\n      reorderPoint\n      stockLevels {\n        location { id code name }\n        onHand\n        available\n        reserved\n        damaged\n        qualityControl\n        incoming\n        updatedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      sku\n      name\n      unit\n      reorderPoint\n      stockLevels {\n        location { id code name }\n        onHand\n        available\n        reserved\n        damaged\n        qualityControl\n        incoming\n        updatedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {\n    movements(itemId: $itemId, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        quantity\n        fromState\n        toState\n        location { id code }\n        toLocation { id code }\n        actor\n        reference\n        reason\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {\n    movements(itemId: $itemId, first: $first, after: $after) {\n      nodes {\n        id\n        kind\n        quantity\n        fromState\n        toState\n        location { id code }\n        toLocation { id code }\n        actor\n        reference\n        reason\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {\n    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {\n      onHand\n      available\n      reserved\n      damaged\n      qualityControl\n      incoming\n    }\n  }\n"): (typeof documents)["\n  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {\n    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {\n      onHand\n      available\n      reserved\n      damaged\n      qualityControl\n      incoming\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {\n    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {\n      nodes { id sku name unit reorderPoint barcode archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {\n    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {\n      nodes { id sku name unit reorderPoint barcode archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateItem($input: CreateItemInput!) {\n    createItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateItem($input: CreateItemInput!) {\n    createItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateItem($input: UpdateItemInput!) {\n    updateItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateItem($input: UpdateItemInput!) {\n    updateItem(input: $input) {\n      item { id sku name unit reorderPoint barcode archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArchiveItem($input: ArchiveItemInput!) {\n    archiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation ArchiveItem($input: ArchiveItemInput!) {\n    archiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnarchiveItem($input: ArchiveItemInput!) {\n    unarchiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UnarchiveItem($input: ArchiveItemInput!) {\n    unarchiveItem(input: $input) {\n      item { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {\n    locations(first: $first, after: $after, includeArchived: $includeArchived) {\n      nodes { id code name createdAt archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query LocationsPage($first: Int!, $after: String, $includeArchived: Boolean) {\n    locations(first: $first, after: $after, includeArchived: $includeArchived) {\n      nodes { id code name createdAt archivedAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateLocation($input: CreateLocationInput!) {\n    createLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLocation($input: UpdateLocationInput!) {\n    updateLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateLocation($input: UpdateLocationInput!) {\n    updateLocation(input: $input) {\n      location { id code name createdAt archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArchiveLocation($input: ArchiveLocationInput!) {\n    archiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation ArchiveLocation($input: ArchiveLocationInput!) {\n    archiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnarchiveLocation($input: ArchiveLocationInput!) {\n    unarchiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UnarchiveLocation($input: ArchiveLocationInput!) {\n    unarchiveLocation(input: $input) {\n      location { id archivedAt }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportsPage {\n    reports(first: 25) {\n      nodes { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n    }\n  }\n"): (typeof documents)["\n  query ReportsPage {\n    reports(first: 25) {\n      nodes { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestReport($input: RequestReportInput!) {\n    requestReport(input: $input) {\n      report { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestReport($input: RequestReportInput!) {\n    requestReport(input: $input) {\n      report { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReportUpdated($id: ID!) {\n    reportUpdated(id: $id) { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n  }\n"): (typeof documents)["\n  subscription ReportUpdated($id: ID!) {\n    reportUpdated(id: $id) { id kind status progress rowCount error createdAt finishedAt expiresAt downloadUrl }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {\n    reservations(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        location { id code }\n        quantity\n        reservedQuantity\n        status\n        reference\n        expiresAt\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {\n    reservations(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        location { id code }\n        quantity\n        reservedQuantity\n        status\n        reference\n        expiresAt\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReleaseReservation($input: ReleaseReservationInput!) {\n    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n"): (typeof documents)["\n  mutation ReleaseReservation($input: ReleaseReservationInput!) {\n    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FulfillReservation($input: FulfillReservationInput!) {\n    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n"): (typeof documents)["\n  mutation FulfillReservation($input: FulfillReservationInput!) {\n    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantSettingsPage {\n    tenantSettings { tenantId name defaultReservationTtlSeconds }\n  }\n"): (typeof documents)["\n  query TenantSettingsPage {\n    tenantSettings { tenantId name defaultReservationTtlSeconds }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      settings { tenantId name defaultReservationTtlSeconds }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      settings { tenantId name defaultReservationTtlSeconds }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage {\n    users(first: 100) { nodes { id email name roles lastSignInAt } }\n  }\n"): (typeof documents)["\n  query UsersPage {\n    users(first: 100) { nodes { id email name roles lastSignInAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {\n    updateUserRoles(input: $input) {\n      user { id roles }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUserRoles($input: UpdateUserRolesInput!) {\n    updateUserRoles(input: $input) {\n      user { id roles }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveUser($input: RemoveUserInput!) {\n    removeUser(input: $input) {\n      user { id }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveUser($input: RemoveUserInput!) {\n    removeUser(input: $input) {\n      user { id }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invitations {\n    invitations { id email roles invitedBy createdAt expiresAt }\n  }\n"): (typeof documents)["\n  query Invitations {\n    invitations { id email roles invitedBy createdAt expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) { userErrors { message code } }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) { userErrors { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      invitation { id email roles expiresAt acceptUrl emailSent }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteUser($input: InviteUserInput!) {\n    inviteUser(input: $input) {\n      invitation { id email roles expiresAt acceptUrl emailSent }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      accessToken\n      expiresAt\n      tenant { id name }\n      user { id email name }\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StockPage($first: Int!, $after: String) {\n    items(first: $first, after: $after) {\n      nodes {\n        id\n        sku\n        name\n        stockLevels {\n          location { id code name }\n          onHand\n          available\n          reserved\n          incoming\n          version\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    locations(first: 250) { nodes { id code name } }\n  }\n"): (typeof documents)["\n  query StockPage($first: Int!, $after: String) {\n    items(first: $first, after: $after) {\n      nodes {\n        id\n        sku\n        name\n        stockLevels {\n          location { id code name }\n          onHand\n          available\n          reserved\n          incoming\n          version\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    locations(first: 250) { nodes { id code name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StockItemByCode($code: String!) {\n    byBarcode: item(barcode: $code) { ...StockItem }\n    bySku: item(sku: $code) { ...StockItem }\n  }\n  fragment StockItem on Item {\n    id\n    sku\n    name\n    stockLevels {\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n"): (typeof documents)["\n  query StockItemByCode($code: String!) {\n    byBarcode: item(barcode: $code) { ...StockItem }\n    bySku: item(sku: $code) { ...StockItem }\n  }\n  fragment StockItem on Item {\n    id\n    sku\n    name\n    stockLevels {\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockAvailability {\n    availabilityChanged {\n      item { id }\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n"): (typeof documents)["\n  subscription StockAvailability {\n    availabilityChanged {\n      item { id }\n      location { id code name }\n      onHand\n      available\n      reserved\n      incoming\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockResume($after: String) {\n    stockChanged(after: $after) {\n      cursor\n      stockLevels {\n        item { id }\n        location { id code name }\n        onHand\n        available\n        reserved\n        incoming\n        version\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription StockResume($after: String) {\n    stockChanged(after: $after) {\n      cursor\n      stockLevels {\n        item { id }\n        location { id code name }\n        onHand\n        available\n        reserved\n        incoming\n        version\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {\n    transfers(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        fromLocation { id code }\n        toLocation { id code }\n        quantity\n        outstandingQuantity\n        receivedQuantity\n        status\n        reference\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {\n    transfers(status: $status, first: $first, after: $after) {\n      nodes {\n        id\n        item { id sku name }\n        fromLocation { id code }\n        toLocation { id code }\n        quantity\n        outstandingQuantity\n        receivedQuantity\n        status\n        reference\n        createdAt\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReceiveTransfer($input: ReceiveTransferInput!) {\n    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n"): (typeof documents)["\n  mutation ReceiveTransfer($input: ReceiveTransferInput!) {\n    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelTransfer($input: CancelTransferInput!) {\n    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n"): (typeof documents)["\n  mutation CancelTransfer($input: CancelTransferInput!) {\n    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys(first: 100) { nodes { id name prefix roles createdBy createdAt expiresAt lastUsedAt revokedAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey { id name prefix }\n      secret\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey { id name prefix }\n      secret\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey { id revokedAt }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey { id revokedAt }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoints {\n    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }\n  }\n"): (typeof documents)["\n  query WebhookEndpoints {\n    webhookEndpoints(first: 100) { nodes { id url eventTypes description enabled disabledReason createdAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($endpointId: ID!) {\n    webhookDeliveries(endpointId: $endpointId, first: 50) {\n      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($endpointId: ID!) {\n    webhookDeliveries(endpointId: $endpointId, first: 50) {\n      nodes { id eventId eventType status attempts lastStatusCode lastError lastLatencyMs nextAttemptAt deliveredAt createdAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      endpoint { id }\n      secret\n      userErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) {\n      endpoint { id }\n      secret\n      userErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      endpoint { id enabled disabledReason }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {\n    updateWebhookEndpoint(input: $input) {\n      endpoint { id enabled disabledReason }\n      userErrors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {\n    redeliverWebhook(input: $input) {\n      delivery { id status attempts }\n      userErrors { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RedeliverWebhook($input: RedeliverWebhookInput!) {\n    redeliverWebhook(input: $input) {\n      delivery { id status attempts }\n      userErrors { message code }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;