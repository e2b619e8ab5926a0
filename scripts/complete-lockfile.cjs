// npm 11 leaves optional platform packages the registry here does not serve out of the lock
// file, and `npm ci` then refuses the lock. Record them as optional entries for their
// platform (read from the package name, e.g. cli-darwin-arm64, cli-linux-x64-musl).
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const top = `node_modules/${name}`;
    if (pkgs[top] || pkgs[`${key}/node_modules/${name}`]) continue;
    const m =
      /-(android|darwin|linux|win32|freebsd|openbsd|sunos|aix|netbsd)-(x64|arm64|arm|ia32|ppc64|s390x|riscv64|loong64)(-(musl|gnu|msvc|eabihf))?$/.exec(
        name,
      );
    if (!m) {
      console.log('cannot place', name);
      continue;
    }
    pkgs[top] = {
      version: version.replace(/^[\^~]/, ''),
      cpu: [m[2]],
      ...(entry.dev ? { dev: true } : {}),
      ...(m[4] === 'musl' || m[4] === 'gnu' ? { libc: [m[4] === 'gnu' ? 'glibc' : 'musl'] } : {}),
      optional: true,
      os: [m[1]],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
