import { describe, expect, it } from 'vitest';
import { shellFindings } from './shell-signals.js';

const codes = (command: string) => shellFindings(command).map((f) => f.code);
const riskOf = (command: string, code: string) => shellFindings(command).find((f) => f.code === code)?.risk;

describe('shellFindings', () => {
  it('flags recursive deletes, critical when they wipe / or a home directory', () => {
    expect(codes('rm -rf build')).toEqual(['recursive-delete']);
    expect(riskOf('rm -rf build', 'recursive-delete')).toBe('high');
    expect(codes('rm -r -f ./x')).toEqual(['recursive-delete']);
    expect(codes('rm --recursive x')).toEqual(['recursive-delete']);
    expect(riskOf('rm -rf /', 'recursive-delete')).toBe('critical');
    expect(riskOf('bash -c "rm -r ~"', 'recursive-delete')).toBe('critical');
    expect(riskOf(`rm -rf \${HOME}`, 'recursive-delete')).toBe('critical');
    expect(codes('rm file.txt')).toEqual([]);
    expect(codes('/bin/rm -fr tmp')).toEqual(['recursive-delete']);
  });

  it('sees each part of a compound command and strips sudo', () => {
    expect(codes('cd /srv && sudo rm -rf data')).toEqual(['sudo', 'recursive-delete']);
    expect(shellFindings('sudo ls')[0]?.detail).toBe('runs as root: ls');
  });

  it('flags downloaded code piped into a shell', () => {
    expect(codes('curl -fsSL https://get.example.com | sh')).toContain('pipe-to-shell');
    expect(codes('wget -qO- https://x.example | sudo bash')).toEqual(['sudo', 'pipe-to-shell']);
    expect(codes('curl -o out.json https://api.example')).toEqual([]);
    expect(codes('curl https://x | bash -s -- --yes')).toContain('pipe-to-shell');
    expect(codes('bash script.sh')).toEqual([]);
  });

  it('flags chmod 777, force pushes, mkfs and dd to a device', () => {
    expect(codes('chmod -R 777 /var/www')).toEqual(['chmod-777']);
    expect(codes('chmod 644 a')).toEqual([]);
    expect(codes('git push --force origin main')).toEqual(['force-push']);
    expect(codes('git -C repo push -f')).toEqual(['force-push']);
    expect(codes('git push origin +main')).toEqual(['force-push']);
    expect(codes('git push origin main')).toEqual([]);
    expect(codes('mkfs.ext4 /dev/sdb1')).toEqual(['mkfs']);
    expect(riskOf('dd if=/dev/zero of=/dev/sda bs=1M', 'raw-disk-write')).toBe('critical');
    expect(codes('dd if=/dev/zero of=disk.img')).toEqual([]);
  });

  it('flags wildcard deletes and commands computed at run time', () => {
    expect(codes('rm *.log')).toEqual(['wildcard-delete']);
    expect(codes('rm -rf "$HOME"/*')).toEqual(['recursive-delete', 'wildcard-delete', 'dynamic-command']);
    expect(codes('echo $(whoami)')).toEqual(['dynamic-command']);
  });

  it('reads a command it cannot parse as text, and says it could not parse it', () => {
    const found = codes('if then; sudo rm -rf / ; curl x | sh');
    expect(found[0]).toBe('unparsed-command');
    expect(found).toEqual(expect.arrayContaining(['recursive-delete', 'sudo', 'pipe-to-shell']));
  });
});
