// The messages between a run and its spawner child (host/spawner.ts, host/spawner-child.ts).
import type { Systeminformation } from 'systeminformation';

export type SpawnerRequest =
  | { id: number; kind: 'run'; file: string; args: string[]; timeoutMs: number; env?: Record<string, string> }
  | { id: number; kind: 'cancel' }
  | { id: number; kind: 'block-devices' };

export type SpawnerAnswer =
  | { id: 0; kind: 'ready' }
  | {
      id: number;
      kind: 'ran';
      exitCode: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
      startError?: string;
    }
  | { id: number; kind: 'block-devices'; devices: Systeminformation.BlockDevicesData[] }
  | { id: number; kind: 'failed'; message: string };
