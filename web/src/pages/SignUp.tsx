import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { startSession } from '../lib/signedIn';
import { friendlyError } from '../lib/format';

const SignUpDocument = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      accessToken
      expiresAt
      tenant { id name }
      user { id email name }
      userErrors { field message code }
    }
  }
`);

export default function SignUpPage() {
  const navigate = useNavigate();
  const [businessName, setBusinessName] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, signUp] = useMutation(SignUpDocument);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (!businessName.trim()) {
      setError('Please enter the name of your business.');
      return;
    }
    const res = await signUp({
      input: { businessName: businessName.trim(), name: name.trim() || undefined, email: email.trim(), password },
    });
    const err = res.error
      ? friendlyError(res.error)
      : startSession(res.data?.signUp, 'Creating the account did not work. Please try again.');
    if (err) {
      setError(err);
      return;
    }
    navigate('/stock', { replace: true });
  }

  return (
    <AuthCard title="Create an account">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <ErrorAlert message={error} />
          <TextInput
            label="Business name"
            required
            autoComplete="organization"
            value={businessName}
            onChange={(e) => setBusinessName(e.currentTarget.value)}
          />
          <TextInput label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            required
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={fetching}>
            Create account
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        Already have an account?{' '}
        <Anchor component={Link} to="/sign-in">
          Sign in
        </Anchor>
      </Text>
    </AuthCard>
  );
}
