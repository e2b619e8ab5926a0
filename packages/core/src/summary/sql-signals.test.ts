import { describe, expect, it } from 'vitest';
import { sqlFindings } from './sql-signals.js';

const codes = (text: string) => sqlFindings(text).map((f) => f.code);

describe('sqlFindings', () => {
  it('flags DROP and TRUNCATE', () => {
    expect(codes('DROP TABLE users')).toEqual(['sql-drop']);
    expect(codes('drop database prod;')).toEqual(['sql-drop']);
    expect(codes('TRUNCATE TABLE audit')).toEqual(['sql-truncate']);
    expect(codes('truncate sessions')).toEqual(['sql-truncate']);
  });

  it('flags DELETE and UPDATE only without a WHERE', () => {
    expect(codes('DELETE FROM users')).toEqual(['sql-delete-all']);
    expect(codes('DELETE FROM users WHERE id = 1')).toEqual([]);
    expect(codes("UPDATE users SET role = 'admin'")).toEqual(['sql-update-all']);
    expect(codes("update users set role = 'x' where id = 2")).toEqual([]);
    expect(sqlFindings('DELETE FROM users')[0]?.detail).toBe('DELETE FROM users (no WHERE)');
  });

  it('judges each statement on its own', () => {
    expect(codes('SELECT 1 WHERE true; DELETE FROM t')).toEqual(['sql-delete-all']);
    expect(codes('SELECT * FROM users')).toEqual([]);
  });
});
