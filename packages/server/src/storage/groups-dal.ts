import type { ApprovalGroup } from '@gatehouse/core';
import { guard } from './driver-errors.js';
import type { Executor } from './transaction.js';

/** A member of an approval group: a user or a whole team. */
export interface GroupMember {
  readonly kind: 'user' | 'team';
  readonly id: string;
}

/** Creates an empty approval group; a taken name is a `ConflictError` (`approval_groups_pkey`). */
export async function createGroup(name: string, db: Executor): Promise<void> {
  await guard('create a group', () => db.insertInto('approval_groups').values({ name }).execute());
}

/** Adds a user or team to a group (idempotent). An unknown group is an `IntegrityError`. */
export async function addGroupMember(groupName: string, member: GroupMember, db: Executor): Promise<void> {
  await guard('add a group member', () =>
    db
      .insertInto('group_members')
      .values({ group_name: groupName, kind: member.kind, member_id: member.id })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
}

/** Removes a user or team from a group; false when it was not a member. */
export async function removeGroupMember(
  groupName: string,
  member: GroupMember,
  db: Executor,
): Promise<boolean> {
  return guard('remove a group member', async () => {
    const result = await db
      .deleteFrom('group_members')
      .where('group_name', '=', groupName)
      .where('kind', '=', member.kind)
      .where('member_id', '=', member.id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

/** One group with its users and teams (sorted), in the core's shape; undefined if unknown. */
export async function getGroup(name: string, db: Executor): Promise<ApprovalGroup | undefined> {
  return guard('read a group', async () => {
    const group = await db
      .selectFrom('approval_groups')
      .select('name')
      .where('name', '=', name)
      .executeTakeFirst();
    if (group === undefined) return undefined;
    const members = await db
      .selectFrom('group_members')
      .select(['kind', 'member_id'])
      .where('group_name', '=', name)
      .orderBy('member_id')
      .execute();
    return toGroup(name, members);
  });
}

/** Every group with its members, by name. */
export async function listGroups(db: Executor): Promise<readonly ApprovalGroup[]> {
  return guard('list groups', async () => {
    const groups = await db.selectFrom('approval_groups').select('name').orderBy('name').execute();
    const members = await db
      .selectFrom('group_members')
      .select(['group_name', 'kind', 'member_id'])
      .orderBy('member_id')
      .execute();
    return Object.freeze(
      groups.map(({ name }) =>
        toGroup(
          name,
          members.filter((member) => member.group_name === name),
        ),
      ),
    );
  });
}

function toGroup(
  name: string,
  members: readonly { readonly kind: 'user' | 'team'; readonly member_id: string }[],
): ApprovalGroup {
  const ids = (kind: 'user' | 'team') =>
    Object.freeze(members.filter((member) => member.kind === kind).map((member) => member.member_id));
  return Object.freeze({ name, users: ids('user'), teams: ids('team') });
}
