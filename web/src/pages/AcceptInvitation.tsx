import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { startSession } from '../lib/signedIn';
import { friendlyError } from '../lib/format';

const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);

export default function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(token ? null : 'This invitation link is incomplete. Ask for a new one.');
  const [{ fetching }, accept] = useMutation(AcceptInvitationDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const res = await accept({ input: { token, name: name.trim() || undefined, password: password || undefined } });
    const err = res.error
      ? friendlyError(res.error)
      : startSession(res.data?.acceptInvitation, 'Accepting the invitation did not work. Ask for a new one.');
    if (err) {
      setError(err);
      return;
    }
    navigate('/stock', { replace: true });
  }

  return (
    <AuthCard title="Accept your invitation">
      <Text size="sm">Choose a password to join. If you already have an account, enter its password.</Text>
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <ErrorAlert message={error} />
          <TextInput label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={fetching} disabled={!token}>
            Accept invitation
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        <Anchor component={Link} to="/sign-in">
          Sign in instead
        </Anchor>
      </Text>
    </AuthCard>
  );
}
