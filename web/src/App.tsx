import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { Provider } from 'urql';
import { theme } from './theme';
import { createApi } from './lib/client';
import { useSession } from './lib/useSession';
import { mayResume } from './lib/session';
import { refresh } from './lib/auth';
import { Layout } from './components/Layout';
import { SignInPage } from './pages/SignIn';
import { StockPage } from './pages/Stock';

// Pages other than sign-in and Stock load when they open.
const SignUpPage = lazy(() => import('./pages/SignUp'));
const AcceptInvitationPage = lazy(() => import('./pages/AcceptInvitation'));
const ItemsPage = lazy(() => import('./pages/Items'));
const ItemPage = lazy(() => import('./pages/Item'));
const LocationsPage = lazy(() => import('./pages/Locations'));
const AlertsPage = lazy(() => import('./pages/Alerts'));
const ReportsPage = lazy(() => import('./pages/Reports'));
const ReservationsPage = lazy(() => import('./pages/Reservations'));
const TransfersPage = lazy(() => import('./pages/Transfers'));
const SettingsPage = lazy(() => import('./pages/Settings'));

function Loading() {
  return (
    <Center h="50vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Signed-in pages: with no session, try the refresh cookie, else go to sign-in. */
function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const [trying, setTrying] = useState(() => !session && mayResume());
  useEffect(() => {
    if (!trying) return;
    refresh().finally(() => setTrying(false));
  }, [trying]);
  if (session) return <>{children}</>;
  if (trying) return <Loading />;
  const next = location.pathname + location.search;
  return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
}

function Api({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const key = session ? `${session.tenantId}/${session.subject}` : '';
  const api = useMemo(() => createApi(), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => void api.ws.dispose(), [api]);
  return <Provider value={api.client}>{children}</Provider>;
}

export function App() {
  return (
    <MantineProvider theme={theme}>
      <BrowserRouter>
        <Api>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route path="/sign-up" element={<SignUpPage />} />
              <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
              <Route
                element={
                  <RequireSession>
                    <Layout />
                  </RequireSession>
                }
              >
                <Route path="/" element={<Navigate to="/stock" replace />} />
                <Route path="/stock" element={<StockPage />} />
                <Route path="/items" element={<ItemsPage />} />
                <Route path="/items/:id" element={<ItemPage />} />
                <Route path="/locations" element={<LocationsPage />} />
                <Route path="/alerts" element={<AlertsPage />} />
                <Route path="/reports" element={<ReportsPage />} />
                <Route path="/reservations" element={<ReservationsPage />} />
                <Route path="/transfers" element={<TransfersPage />} />
                <Route path="/settings" element={<SettingsPage />} />
                <Route path="*" element={<Navigate to="/stock" replace />} />
              </Route>
            </Routes>
          </Suspense>
        </Api>
      </BrowserRouter>
    </MantineProvider>
  );
}
