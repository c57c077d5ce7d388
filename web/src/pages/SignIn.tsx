import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Anchor, Button, Divider, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { safeNext, startSession } from '../lib/signedIn';
import { friendlyError } from '../lib/format';
import { sessionFromToken, setSession } from '../lib/session';

const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, signIn] = useMutation(SignInDocument);
  const [showToken, setShowToken] = useState(false);
  const [token, setToken] = useState('');
  const next = safeNext(params.get('next'));
  const business = params.get('tenant') ? params.get('business') : null;

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const res = await signIn({
      input: { email: email.trim(), password, tenantId: params.get('tenant') || undefined },
    });
    const err = res.error
      ? friendlyError(res.error)
      : startSession(res.data?.signIn, 'Signing in did not work. Please try again.');
    if (err) {
      setError(err);
      return;
    }
    navigate(next, { replace: true });
  }

  function onUseToken(e: React.FormEvent) {
    e.preventDefault();
    const s = sessionFromToken(token, 'token');
    if (!s) {
      setError('That is not an access token. Paste what the token command printed.');
      return;
    }
    setSession(s);
    navigate(next, { replace: true });
  }

  return (
    <AuthCard title={business ? `Sign in to ${business}` : 'Sign in'}>
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <ErrorAlert message={error} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={fetching}>
            Sign in
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        New here?{' '}
        <Anchor component={Link} to="/sign-up">
          Create an account
        </Anchor>
      </Text>
      <Divider />
      {showToken ? (
        <form onSubmit={onUseToken}>
          <Stack>
            <Textarea
              label="Access token"
              description="A token from the command line: inventory token --tenant … --sub … --roles …"
              autosize
              minRows={2}
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
            />
            <Button type="submit" variant="default">
              Use token
            </Button>
          </Stack>
        </form>
      ) : (
        <Anchor component="button" type="button" size="sm" onClick={() => setShowToken(true)}>
          Use an access token instead
        </Anchor>
      )}
    </AuthCard>
  );
}
