// Facts about the machine a report comes from.
import { arch, hostname, release, type } from 'node:os';
import type { HostFacts } from '../model.js';

export function hostFacts(): HostFacts {
  return { hostname: hostname(), os: type(), kernel: release(), arch: arch(), nodeVersion: process.version };
}
