import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { parseWorkspaceLabels } from '../config/observability-config';
import { parseExposition } from '../../testing/exposition';
import { TesseraMetrics } from './tessera-metrics';
import { WorkspaceLabeler } from './workspace-labeler';

describe('WorkspaceLabeler', () => {
  it('labels every workspace "all" by default', () => {
    const labeler = new WorkspaceLabeler();
    assert.equal(labeler.label('northwind/handbook'), 'all');
    assert.equal(labeler.label(undefined), 'all');
    assert.equal(labeler.labelled, 0);
  });

  it('top:N keeps the first N workspaces seen and folds the rest into "other"', () => {
    const labeler = new WorkspaceLabeler(parseWorkspaceLabels('top:2'));
    assert.equal(labeler.label('acme/kb'), 'acme/kb');
    assert.equal(labeler.label('acme/hr'), 'acme/hr');
    assert.equal(labeler.label('acme/legal'), 'other');
    assert.equal(labeler.label('acme/kb'), 'acme/kb');
    assert.equal(labeler.label(undefined), 'none');
    assert.equal(labeler.labelled, 2);
  });

  it('list: labels only the listed workspaces', () => {
    const labeler = new WorkspaceLabeler(parseWorkspaceLabels('list:acme/kb, northwind/handbook'));
    assert.equal(labeler.label('northwind/handbook'), 'northwind/handbook');
    assert.equal(labeler.label('acme/kb'), 'acme/kb');
    assert.equal(labeler.label('acme/other'), 'other');
    assert.equal(labeler.labelled, 2);
  });

  it('never takes a value that is not a workspace id or tenant/workspace slug', () => {
    const labeler = new WorkspaceLabeler(parseWorkspaceLabels('top:10'));
    for (const hostile of ['what is the CEO salary?', 'a"b', 'x/y/z', 'Bearer tsr_abc def', '../../etc', '']) {
      assert.ok(['other', 'none'].includes(labeler.label(hostile)), hostile);
    }
    assert.equal(labeler.labelled, 0);
  });

  it('bounds the series a flood of workspaces creates', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false, workspaceLabels: parseWorkspaceLabels('top:20') });
    for (let i = 0; i < 5_000; i++) metrics.mcpRequest('tools/call', 'search', 'ok', 0.01, randomUUID());
    const e = parseExposition(await metrics.scrape());
    const workspaces = new Set(e.find('tessera_mcp_requests_total').map((s) => s.labels.workspace));
    assert.equal(workspaces.size, 21);
    assert.ok(workspaces.has('other'));
    assert.equal(e.find('tessera_mcp_requests_total', { workspace: 'other' })[0]?.value, 4_980);
    const durationSeries = new Set(e.find('tessera_mcp_request_duration_seconds_count').map((s) => s.labels.workspace));
    assert.equal(durationSeries.size, 21);
  });
});
