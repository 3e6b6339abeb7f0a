import * as fs from 'fs';

/**
 * What the output engine knows about one path, from `lstat` (symbolic links
 * are never followed).
 * @internal
 */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'other' | 'none';

/**
 * Every file-system call the output engine makes. The engine goes through
 * this interface only, so that a test can stop it at any call (see the crash
 * matrix in test/core/crash.test.ts). Paths are absolute.
 * @internal
 */
export interface EngineFs {
  kind(p: string): EntryKind;
  read(p: string): string;
  list(dir: string): string[];
  /** Creates one directory (its parent must exist). */
  mkdir(dir: string): void;
  write(p: string, content: string): void;
  rename(from: string, to: string): void;
  unlink(p: string): void;
  rmdir(dir: string): void;
  /** Whether the process may create and remove entries in `dir`. */
  writable(dir: string): boolean;
}

/** The real file system. @internal */
export const NODE_FS: EngineFs = {
  kind(p) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'none';
      throw e;
    }
    if (st.isSymbolicLink()) return 'symlink';
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
    return 'other';
  },
  read: (p) => fs.readFileSync(p, 'utf8'),
  list: (dir) => fs.readdirSync(dir).sort(),
  mkdir: (dir) => fs.mkdirSync(dir),
  write: (p, content) => fs.writeFileSync(p, content, { flag: 'wx' }),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (p) => fs.unlinkSync(p),
  rmdir: (dir) => fs.rmdirSync(dir),
  writable(dir) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      fs.accessSync(dir, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * `fsx` with the directories it has seen remembered for one run of the
 * engine: every output path is checked component by component (no symbolic
 * links on the way), and thousands of files share a few directories. Only
 * "is a directory" is remembered; the engine's own mkdir adds to it, and
 * its rmdir, unlink and rename forget the paths they change. Every other
 * answer still comes from `lstat`.
 * @internal
 */
export function rememberingDirs(fsx: EngineFs): EngineFs {
  const dirs = new Set<string>();
  return {
    kind(p) {
      if (dirs.has(p)) return 'dir';
      const kind = fsx.kind(p);
      if (kind === 'dir') dirs.add(p);
      return kind;
    },
    read: (p) => fsx.read(p),
    list: (dir) => fsx.list(dir),
    mkdir(dir) {
      fsx.mkdir(dir);
      dirs.add(dir);
    },
    write: (p, content) => fsx.write(p, content),
    rename(from, to) {
      dirs.delete(from);
      dirs.delete(to);
      fsx.rename(from, to);
    },
    unlink(p) {
      dirs.delete(p);
      fsx.unlink(p);
    },
    rmdir(dir) {
      dirs.delete(dir);
      fsx.rmdir(dir);
    },
    writable: (dir) => fsx.writable(dir),
  };
}
