# The read-only FUSE mirror of test/fixtures/fuse-mirror.py with a gate: the first read of a file whose
# name is GATE_NAME at an offset of GATE_OFFSET or more waits (stderr says "paused <offset>") until the
# file GATE_RELEASE exists. A test changes the mirrored file during that wait: the change lands in the
# middle of the hashing, every time. Run with Debian's python3-fusepy: /usr/bin/python3 fuse-gate.py SOURCE MOUNTPOINT
import importlib.util
import os
import sys
import time

from fusepy import FUSE

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('fuse_mirror', os.path.join(HERE, '..', 'fixtures', 'fuse-mirror.py'))
fuse_mirror = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuse_mirror)

GATE_NAME = os.environ['GATE_NAME']
GATE_OFFSET = int(os.environ['GATE_OFFSET'])
GATE_RELEASE = os.environ['GATE_RELEASE']


class Gate(fuse_mirror.Mirror):
    def __init__(self, root):
        super().__init__(root)
        self.opened = False

    def read(self, path, size, offset, fh):
        if not self.opened and os.path.basename(path) == GATE_NAME and offset >= GATE_OFFSET:
            self.opened = True
            sys.stderr.write(f'paused {offset}\n')
            sys.stderr.flush()
            while not os.path.exists(GATE_RELEASE):
                time.sleep(0.02)
        return super().read(path, size, offset, fh)


if __name__ == '__main__':
    FUSE(Gate(sys.argv[1]), sys.argv[2], foreground=True, ro=True, nothreads=True, attr_timeout=0, entry_timeout=0)
