import { AcmeControllerError } from './errors';

export interface AcmeClientOptions {
  address: URL;
  password: string | undefined;
  /** Seconds one request may take. */
  timeout: number;
  /** Aborts requests when the task's caller gives up. */
  signal?: AbortSignal;
}

/** `powering-on` and `powering-off` while an action completes. */
export type AcmeReportedPower = 'on' | 'off' | 'powering-on' | 'powering-off';
export type AcmePowerAction = 'on' | 'off' | 'graceful-off' | 'reset';

export interface AcmeBootSetting {
  device: string;
  persistent: boolean;
}

/** One Acme controller's HTTP API, with node's global fetch. */
export class AcmeClient {
  constructor(private readonly options: AcmeClientOptions) {}

  listChassis(): Promise<{ chassis: string[] }> {
    return this.call('GET', 'chassis');
  }

  async powerState(chassisId: string): Promise<AcmeReportedPower> {
    const answer = await this.call<{ state: AcmeReportedPower }>(
      'GET',
      chassisPath(chassisId, 'power'),
    );
    return answer.state;
  }

  async powerAction(chassisId: string, action: AcmePowerAction): Promise<void> {
    await this.call('POST', chassisPath(chassisId, 'power'), { action });
  }

  bootDevice(chassisId: string): Promise<AcmeBootSetting> {
    return this.call('GET', chassisPath(chassisId, 'boot'));
  }

  async setBootDevice(chassisId: string, setting: AcmeBootSetting): Promise<void> {
    await this.call('PUT', chassisPath(chassisId, 'boot'), setting);
  }

  blinkLed(chassisId: string, seconds: number): Promise<{ blinking_until: string }> {
    return this.call('POST', chassisPath(chassisId, 'led'), { seconds });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { address, password, timeout, signal } = this.options;
    const url = new URL(path, address.href.endsWith('/') ? address : `${address.href}/`);
    const timeoutSignal = AbortSignal.timeout(timeout * 1000);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(password === undefined ? {} : { authorization: `Bearer ${password}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new AcmeControllerError(`${method} ${url.href}: ${(error as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const reason = typeof answer.error === 'string' ? answer.error : response.statusText;
      throw new AcmeControllerError(`${method} ${url.href} answered ${response.status}: ${reason}`);
    }
    return answer as T;
  }
}

function chassisPath(chassisId: string, resource: string): string {
  return `chassis/${encodeURIComponent(chassisId)}/${resource}`;
}
