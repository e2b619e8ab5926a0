import { describe, expect, it } from 'vitest';
import { computeCommandShape } from './command-shape.js';

function shape(line: string) {
  const found = computeCommandShape(line.split(' '));
  return {
    name: found.name,
    subcommand: found.subcommand,
    flags: [...found.flags].sort(),
    operands: found.operands,
  };
}

describe('computeCommandShape', () => {
  it.each([
    'rm -rf /',
    'rm -r -f /',
    'rm -Rf /',
    'rm -fr /',
    'rm --recursive --force /',
    'rm --recur --forc /',
    'rm -rf -- /',
    'rm -r -f -- /',
    '/bin/rm -rf /',
    'rm / -rf',
  ])('reads %s as rm with recursive and force on /', (line) => {
    expect(shape(line)).toMatchObject({ name: 'rm', flags: ['force', 'recursive'], operands: ['/'] });
  });

  it('ends options at --', () => {
    expect(shape('rm -- -rf')).toMatchObject({ flags: [], operands: ['-rf'] });
  });

  it('takes every candidate of an ambiguous long prefix', () => {
    expect(shape('rm --ve /').flags).toEqual(['verbose', 'version']);
  });

  it('splits clusters and long options of commands without a table', () => {
    expect(shape('frob -abc --name=value x')).toMatchObject({
      flags: ['a', 'b', 'c', 'name', 'name=value'],
      operands: ['x'],
      subcommand: 'x',
    });
  });

  it('reads git global options before the subcommand and refspecs after it', () => {
    expect(shape('git -C src -c a=b --no-pager push origin +main')).toMatchObject({
      name: 'git',
      subcommand: 'push',
      flags: ['C', 'C=src', 'c', 'c=a=b', 'force', 'no-pager'],
      operands: ['origin', 'main'],
    });
    // git refuses an ambiguous prefix; every candidate is kept, so a gate on any of them meets it.
    expect(shape('git push --forc origin')).toMatchObject({
      flags: ['force', 'force-if-includes', 'force-with-lease'],
    });
    expect(shape('git push --force-w origin')).toMatchObject({ flags: ['force-with-lease'] });
    expect(shape('git push -o ci.skip origin')).toMatchObject({
      flags: ['push-option', 'push-option=ci.skip'],
      operands: ['origin'],
    });
  });

  it.each([
    'kill -9 1',
    'kill -KILL 1',
    'kill -SIGKILL 1',
    'kill -s KILL 1',
    'kill -s 9 1',
    'kill -skill 1',
    'kill --signal=SIGKILL 1',
  ])('reads %s as signal KILL', (line) => {
    expect(shape(line)).toMatchObject({ flags: ['signal', 'signal=KILL'], operands: ['1'] });
  });

  it('keeps pkill -s a session, not a signal', () => {
    expect(shape('pkill -s 9 x').flags).toEqual(['session', 'session=9']);
  });

  it('reads curl methods in any case and spelling', () => {
    for (const line of [
      'curl -X delete u',
      'curl -XDELETE u',
      'curl --request DELETE u',
      'curl --request=delete u',
    ]) {
      expect(shape(line), line).toMatchObject({ flags: ['request', 'request=DELETE'], operands: ['u'] });
    }
  });

  it('reads chmod modes as operands and -R as recursive', () => {
    expect(shape('chmod -R -x /etc')).toMatchObject({ flags: ['recursive'], operands: ['-x', '/etc'] });
  });

  it('reads find paths, then the expression as flags', () => {
    expect(shape('find / -name x -delete')).toMatchObject({ flags: ['delete', 'name'], operands: ['/'] });
  });

  it('reads dd assignments as flags and if/of as operands', () => {
    expect(shape('dd if=/dev/zero of=/dev/sda bs=1M')).toMatchObject({
      flags: ['bs', 'bs=1M', 'if', 'if=/dev/zero', 'of', 'of=/dev/sda'],
      operands: ['/dev/zero', '/dev/sda'],
    });
  });

  it('reads terraform long options after one dash', () => {
    expect(shape('terraform -chdir=x apply -auto-approve')).toMatchObject({
      subcommand: 'apply',
      flags: ['auto-approve', 'chdir', 'chdir=x'],
    });
  });

  it('keeps kubectl -f a file name, not force', () => {
    expect(shape('kubectl delete -f pod.yaml --force')).toMatchObject({
      subcommand: 'delete',
      flags: ['filename', 'filename=pod.yaml', 'force'],
      operands: [],
    });
  });
});
