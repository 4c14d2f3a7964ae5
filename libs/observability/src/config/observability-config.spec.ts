import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { loadObservabilityConfig, ObservabilityConfigError, parseWorkspaceLabels } from './observability-config';

const load = (env: NodeJS.ProcessEnv) => loadObservabilityConfig(env, { stdoutIsTty: false });

describe('loadObservabilityConfig', () => {
  it('has production defaults: metrics on 127.0.0.1:9464 (loopback unless METRICS_HOST says otherwise), labels off, 5 s grace, JSON logs', () => {
    const config = load({});
    expect(config.metrics).toStrictEqual({ host: '127.0.0.1', port: 9464, explicit: false });
    expect(config.workspaceLabels).toStrictEqual({ kind: 'off' });
    assert.equal(config.shutdownGraceMs, 5_000);
    assert.equal(config.logFormat, 'json');
    assert.equal(config.accessLog, true);
    assert.equal(config.redisUrl, undefined);
  });

  it('picks a free metrics port under NODE_ENV=test, and METRICS_PORT=0 or off disables the listener', () => {
    expect(load({ NODE_ENV: 'test' }).metrics).toStrictEqual({ host: '127.0.0.1', port: 0, explicit: false });
    expect(load({ METRICS_HOST: '0.0.0.0' }).metrics).toStrictEqual({ host: '0.0.0.0', port: 9464, explicit: false });
    assert.equal(load({ METRICS_PORT: '0' }).metrics, null);
    assert.equal(load({ METRICS_PORT: 'off' }).metrics, null);
    expect(load({ METRICS_PORT: '9100', METRICS_HOST: '127.0.0.1' }).metrics).toStrictEqual({ host: '127.0.0.1', port: 9100, explicit: true });
  });

  it('pretty-prints on a terminal outside production only', () => {
    assert.equal(loadObservabilityConfig({}, { stdoutIsTty: true }).logFormat, 'pretty');
    assert.equal(loadObservabilityConfig({ NODE_ENV: 'production' }, { stdoutIsTty: true }).logFormat, 'json');
    assert.equal(loadObservabilityConfig({ LOG_FORMAT: 'json' }, { stdoutIsTty: true }).logFormat, 'json');
  });

  it('names the variable when a value is wrong', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
      [{ METRICS_WORKSPACE_LABELS: 'top:0' }, 'METRICS_WORKSPACE_LABELS'],
      [{ METRICS_WORKSPACE_LABELS: 'all' }, 'METRICS_WORKSPACE_LABELS'],
      [{ METRICS_WORKSPACE_LABELS: 'list:a b' }, 'METRICS_WORKSPACE_LABELS'],
      [{ SHUTDOWN_GRACE_MS: '-1' }, 'SHUTDOWN_GRACE_MS'],
      [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
      [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
      [{ ACCESS_LOG: 'maybe' }, 'ACCESS_LOG'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(() => load(env), (error: unknown) => error instanceof ObservabilityConfigError && error.variable === variable, variable);
    }
  });

  it('parses workspace label modes', () => {
    expect(parseWorkspaceLabels(undefined)).toStrictEqual({ kind: 'off' });
    expect(parseWorkspaceLabels('top:20')).toStrictEqual({ kind: 'top', limit: 20 });
    expect(parseWorkspaceLabels('list:acme/kb,acme/kb,0b7c0d8e-9f3a-4c2e-8f55-1d2b3c4d5e6f')).toStrictEqual({
      kind: 'list',
      keys: ['acme/kb', '0b7c0d8e-9f3a-4c2e-8f55-1d2b3c4d5e6f'],
    });
  });
});
