// The offline-log source: media files from the operators' media log, offline only when logged so and not attached.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OfflineLogLocationConfig } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import type { BlockDevice } from '../../host/types.js';
import { sourceIssue } from '../../issues.js';
import type { Copy, SourceIssue, SourceResult } from '../../model.js';
import { type LogKind, logReadFailure } from '../common/log-read-failure.js';
import { NotAnsweringIssue, readLogText } from '../common/log-text.js';
import { type Source, type SourceContext, sourceState } from '../source.js';
import { DEFAULT_CLOCK_SKEW_MS } from '../common/timestamp.js';
import { attachedBy, attachedDevice, attachedDeviceId } from './attached.js';
import { parseMediaLog } from './parse.js';
import { type MediaFile, type MediaState, replayMediaLog } from './state.js';

// The log is created by `backup321 media write`: no log yet means no media recorded, a decided "none".
const MEDIA_LOG: LogKind = { target: 'target.media-log', missingCode: 'B321_LOG_MISSING' };

export function createOfflineLogSource(location: OfflineLogLocationConfig): Source {
  return {
    id: location.id,
    type: 'offline-log',
    inventory: (ctx) => inventoryMediaLog(location, ctx),
  };
}

async function inventoryMediaLog(location: OfflineLogLocationConfig, ctx: SourceContext): Promise<SourceResult> {
  const started = performance.now();
  const { path } = location;
  const locationFacts: Record<string, string | number | boolean> = {
    path,
    format: location.format,
  };
  const result = (copies: Copy[], issues: SourceIssue[]): SourceResult => ({
    copies,
    status: {
      id: location.id,
      type: 'offline-log',
      status: sourceState(issues),
      copies: copies.length,
      issues,
      facts: locationFacts,
      durationMs: Math.round(performance.now() - started),
    },
  });

  let text: string;
  try {
    text = await readLogText(path, {
      walkers: ctx.walkers,
      reader: location.id,
      readTimeoutMs: location.readTimeoutMs,
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof NotAnsweringIssue) return result([], [error.issue]);
    if (ctx.signal?.aborted) throw error;
    return result([], [logReadFailure(path, error, MEDIA_LOG)]);
  }

  const parsed = parseMediaLog(text, location.format, path);
  const replay = replayMediaLog(parsed.events, path, {
    nowMs: ctx.now.getTime(),
    skewMs: ctx.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
  });
  const issues = [...parsed.issues, ...replay.issues];
  if (parsed.pendingLine !== undefined) locationFacts.pendingLine = parsed.pendingLine;

  // The real machine's devices: this is the check that a USB disk logged "offline" is really unplugged.
  let devices: BlockDevice[] | undefined;
  try {
    devices = await ctx.host.blockDevices();
  } catch (error) {
    issues.push(sourceIssue('B321_DEVICES_UNKNOWN', { detail: errorMessage(error) }, { severity: 'warning', path }));
  }

  const attached = new Map<string, BlockDevice>();
  const inService = [...replay.media.values()].filter((media) => media.state !== 'retired');
  for (const media of inService) {
    const device = devices && attachedDevice(media.id, devices);
    if (device) attached.set(media.id, device);
  }
  locationFacts.events = parsed.events.length;
  locationFacts.media = inService.length;
  locationFacts.mediaRetired = replay.media.size - inService.length;
  locationFacts.mediaOffline = inService.filter(
    (m) => m.state === 'offline' && devices !== undefined && !attached.has(m.id),
  ).length;
  locationFacts.mediaAttached = attached.size;
  if (attached.size > 0) {
    locationFacts.attached = [...attached].map(([id, d]) => `${id}=${d.name}(${attachedBy(id, d)})`).join(', ');
  }

  // An attached media is the block device it is plugged in as: the same device its files have if a
  // disk location also reads it.
  const attachedIds = new Map([...attached].map(([id, device]) => [id, attachedDeviceId(device, devices ?? [])]));
  const copies: Copy[] = [];
  for (const target of ctx.datasets) {
    const names = target.patterns.length > 0 ? target.patterns : [target.dataset];
    const before = copies.length;
    for (const file of replay.files) {
      const media = replay.media.get(file.media);
      if (!media || media.state === 'retired' || !names.includes(file.dataset)) continue;
      const copy = mediaCopy(location, file, media, devices, attachedIds.get(media.id));
      copy.dataset = target.dataset;
      copy.role = target.role;
      copies.push(copy);
    }
    if (copies.length === before) {
      // Several names read "a", "b" inside the template's quotes.
      const params = { pattern: names.join('", "'), where: 'where.media-log' } as const;
      issues.push(sourceIssue('B321_NO_MATCH', params, { severity: 'warning', dataset: target.dataset, path }));
    }
  }
  ctx.logger.debug({ location: location.id, copies: copies.length, issues: issues.length }, 'offline-log read');
  return result(copies, issues);
}

/** Reason codes for a copy that does not count as offline; undefined when it does. */
function offlineReason(
  media: MediaState,
  devices: BlockDevice[] | undefined,
  attachedAs: string | undefined,
): string | undefined {
  if (media.state !== 'offline') return `state-${media.state}`;
  if (devices === undefined) return 'attachment-unknown';
  return attachedAs ? 'attached-now' : undefined;
}

function mediaCopy(
  location: OfflineLogLocationConfig,
  file: MediaFile,
  media: MediaState,
  devices: BlockDevice[] | undefined,
  attachedAs: string | undefined,
): Copy {
  const path = `media:${file.media}/${file.file}`;
  const reason = offlineReason(media, devices, attachedAs);
  const copy: Copy = {
    id: `${location.id}:${path}`,
    dataset: file.dataset,
    location: location.id,
    locationType: 'offline-log',
    path,
    name: basename(file.file),
    kind: 'media-file',
    role: 'backup',
    bytes: file.bytes,
    modifiedAt: file.writtenAt,
    medium: file.mediumType,
    device: attachedAs ?? `media:${file.media}`,
    offline: reason === undefined,
    restore: {
      retrievalMs: location.retrievalMs,
      retrievalNote: 'vault transport / loading',
      ...(location.throughputBytesPerSec !== undefined
        ? {
            throughputBytesPerSec: location.throughputBytesPerSec,
            throughputSource: 'configured' as const,
          }
        : {}),
    },
  };
  if (reason) copy.offlineReason = reason;
  if (file.dataTime) copy.dataTime = file.dataTime;
  if (file.recordedSha256 && file.recordedLine !== undefined) {
    copy.recorded = {
      value: file.recordedSha256,
      source: 'media-log',
      ref: `${location.path}:${file.recordedLine}`,
      // A verify that read something else confirmed nothing: the record stands as written.
      at: file.verifyMismatch ? file.writtenAt : (file.verifiedAt ?? file.writtenAt),
    };
  }
  // Read back as other bytes than were written (B321_VERIFY_MISMATCH names the line): corrupt.
  if (file.verifyMismatch) copy.hashError = 'content-mismatch';
  else if (file.verifiedAt && file.recordedSha256) copy.verifiedAt = file.verifiedAt;
  return copy;
}
