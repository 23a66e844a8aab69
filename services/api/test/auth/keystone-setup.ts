import {
  baremetalWith,
  createInProcess,
  type InProcessEnvironment,
  type TestKeystone,
} from '@galvanic/testing';

/** The password of every user the keystone tests create. */
export const KEYSTONE_PASSWORD = 'pw-for-tests';

/** The service user the api validates tokens with, as keystonemiddleware's own account. */
export const SERVICE_USER = {
  name: 'galvanic',
  password: KEYSTONE_PASSWORD,
  projects: { service: ['admin', 'service'] },
};

/** An in-process Galvanic in keystone mode against `keystone`, with `env` added to its config. */
export async function keystoneEnvironment(
  keystone: TestKeystone,
  env: Record<string, string> = {},
): Promise<InProcessEnvironment> {
  const environment = await createInProcess({
    env: {
      GALVANIC_DEFAULT__AUTH_STRATEGY: 'keystone',
      GALVANIC_KEYSTONE_AUTHTOKEN__AUTH_URL: keystone.url,
      GALVANIC_KEYSTONE_AUTHTOKEN__WWW_AUTHENTICATE_URI: keystone.url,
      GALVANIC_KEYSTONE_AUTHTOKEN__USERNAME: SERVICE_USER.name,
      GALVANIC_KEYSTONE_AUTHTOKEN__PASSWORD: KEYSTONE_PASSWORD,
      GALVANIC_KEYSTONE_AUTHTOKEN__PROJECT_NAME: 'service',
      ...env,
    },
  });
  keystone.baremetalUrl = environment.apiUrl;
  return environment;
}

/** The real `baremetal` CLI logged in to `keystone` as `user`, system- or project-scoped. */
export function keystoneCli(
  keystone: TestKeystone,
  apiUrl: string,
  apiVersion: string,
): (
  user: string,
  scope: { project: string } | 'system',
  ...args: string[]
) => ReturnType<typeof baremetalWith> {
  return (user, scope, ...args) =>
    baremetalWith(
      [
        '--os-auth-type',
        'password',
        '--os-auth-url',
        `${keystone.url}/v3`,
        '--os-username',
        user,
        '--os-password',
        KEYSTONE_PASSWORD,
        '--os-user-domain-name',
        'Default',
        ...(scope === 'system'
          ? ['--os-system-scope', 'all']
          : ['--os-project-name', scope.project, '--os-project-domain-name', 'Default']),
        '--os-endpoint-override',
        apiUrl,
        '--os-baremetal-api-version',
        apiVersion,
      ],
      ...args,
    );
}
