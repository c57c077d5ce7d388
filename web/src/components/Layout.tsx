import { Suspense, useEffect } from 'react';
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from 'react-router';
import { AppShell, Badge, Burger, Button, Center, Group, Loader, Menu, NavLink, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import { setSession } from '../lib/session';
import { useSession } from '../lib/useSession';
import { LiveIndicator } from './LiveIndicator';

const OpenAlertsDocument = graphql(`
  query OpenAlertCount {
    alerts(status: OPEN, first: 100) { nodes { id } pageInfo { hasNextPage } }
  }
`);

const AlertRaisedDocument = graphql(`
  subscription AlertRaisedBadge {
    alertRaised { id }
  }
`);

const SignOutDocument = graphql(`
  mutation SignOut {
    signOut(input: {}) { userErrors { message } }
  }
`);

const MeDocument = graphql(`
  query Me {
    me {
      user { id email name }
      tenant { id name }
      tenants { tenant { id name } roles }
    }
  }
`);

const links = [
  { to: '/stock', label: 'Stock' },
  { to: '/items', label: 'Items' },
  { to: '/locations', label: 'Locations' },
  { to: '/reservations', label: 'Reservations' },
  { to: '/transfers', label: 'Transfers' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/reports', label: 'Reports' },
  { to: '/settings', label: 'Settings' },
];

function useOpenAlertCount(): string | null {
  const [{ data }, refetch] = useQuery({ query: OpenAlertsDocument, requestPolicy: 'cache-and-network' });
  const [{ data: raised }] = useSubscription({ query: AlertRaisedDocument });
  useEffect(() => {
    if (raised) refetch({ requestPolicy: 'network-only' });
  }, [raised, refetch]);
  // Acknowledging or resolving elsewhere: look again now and then.
  useEffect(() => {
    const t = setInterval(() => refetch({ requestPolicy: 'network-only' }), 30_000);
    return () => clearInterval(t);
  }, [refetch]);
  const n = data?.alerts.nodes.length ?? 0;
  if (n === 0) return null;
  return data?.alerts.pageInfo.hasNextPage ? `${n}+` : String(n);
}

/**
 * BusinessSwitcher names the business signed in to and, for a user who
 * belongs to several, offers the others: switching signs in again with that
 * business's id (the password proves it is still them).
 */
function BusinessSwitcher({ email, current, tenants }: {
  email?: string;
  current: string;
  tenants: { tenant: { id: string; name: string } }[];
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const others = tenants.filter((m) => m.tenant.id !== current);
  const name = tenants.find((m) => m.tenant.id === current)?.tenant.name;
  if (others.length === 0) {
    return (
      <Text size="sm" c="dimmed" visibleFrom="md" component="span">
        {name ?? ''}
      </Text>
    );
  }
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="xs" aria-label={`Business: ${name ?? ''}. Switch business`}>
          {name ?? 'Business'} ▾
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Switch business</Menu.Label>
        {others.map((m) => (
          <Menu.Item
            key={m.tenant.id}
            onClick={() => {
              const q = new URLSearchParams({
                tenant: m.tenant.id,
                business: m.tenant.name,
                email: email ?? '',
                next: location.pathname,
              });
              navigate(`/sign-in?${q.toString()}`);
            }}
          >
            {m.tenant.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [, signOut] = useMutation(SignOutDocument);
  const alertCount = useOpenAlertCount();
  const [{ data: me }] = useQuery({ query: MeDocument });
  useEffect(close, [location.pathname, close]);

  async function onSignOut() {
    if (session?.kind === 'password') {
      await signOut({}).catch(() => undefined);
    }
    setSession(null);
    navigate('/sign-in', { replace: true });
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700} component="span">Inventory</Text>
            {me ? (
              <BusinessSwitcher
                email={me.me.user?.email}
                current={me.me.tenant.id}
                tenants={me.me.tenants.length > 0 ? me.me.tenants : [{ tenant: me.me.tenant }]}
              />
            ) : (
              <Text size="sm" c="dimmed" visibleFrom="md" component="span">
                {session?.tenantName ?? ''}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator />
            <Text size="sm" c="dimmed" visibleFrom="md" component="span">
              {me?.me.user?.email ?? session?.subject}
            </Text>
            <Button variant="default" size="xs" onClick={onSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={RouterLink}
            to={l.to}
            label={l.label}
            active={location.pathname === l.to || location.pathname.startsWith(l.to + '/')}
            aria-describedby={l.to === '/alerts' && alertCount ? 'open-alert-count' : undefined}
            rightSection={
              l.to === '/alerts' && alertCount ? (
                <Badge size="sm" color="red" circle={alertCount.length < 3} aria-hidden>
                  {alertCount}
                </Badge>
              ) : undefined
            }
          />
        ))}
        {alertCount && (
          <VisuallyHidden id="open-alert-count">{alertCount} open alerts</VisuallyHidden>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense
          fallback={
            <Center h="40vh">
              <Loader aria-label="Loading" />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
