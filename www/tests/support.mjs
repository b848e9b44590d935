// Helpers of the end-to-end tests (and of bench/browser.mjs): the static server, Chromium's
// flags, a minimal zip writer and a synthetic tenant generator.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import zlib from "node:zlib";

/** Flags for Debian's headless Chromium: no sandbox (containers), no background traffic. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts `xtask serve --port 0 --dir DIST` (from the workspace ROOT) and resolves with `{ child, url }`. */
export function serve(root, dist) {
  const bin = process.env.XTASK_BIN ?? path.join(root, "target/debug/xtask");
  const [command, argv] = fs.existsSync(bin) ? [bin, []] : ["cargo", ["run", "--quiet", "--package", "xtask", "--"]];
  const child = spawn(command, [...argv, "serve", "--port", "0", "--dir", dist], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`xtask serve exited (${code})`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const url = /http:\/\/\S+/.exec(line)?.[0];
      if (url) resolve({ child, url });
      else reject(new Error(`unexpected output of xtask serve: ${line}`));
    });
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive (deflated entries) of `[{name, bytes}]`. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const data = zlib.deflateRawSync(bytes);
    const nameBytes = Buffer.from(name.split(path.sep).join("/"), "utf8");
    const crc = crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(bytes.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const size = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** xorshift32: the same tenant every time. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const uuid = (prefix, i) => `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const page = (context, value) => JSON.stringify({ "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#${context}`, value });

/**
 * Writes a Graph v1.0 export of a tenant with `users` users (one in seven a guest), a group per
 * 50 users with their members, 5 catalogs, a package per 100 users, two policies per package and
 * two assignments per user, into `dir`. Returns the counts.
 */
export function syntheticTenant(dir, { users = 10_000 } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pick = rng(20261101);
  const groups = Math.max(4, Math.floor(users / 50));
  const packages = Math.max(4, Math.floor(users / 100));
  const catalogs = 5;
  const userIds = Array.from({ length: users }, (_, i) => uuid("10000000", i));
  const groupIds = Array.from({ length: groups }, (_, i) => uuid("20000000", i));
  const catalogIds = Array.from({ length: catalogs }, (_, i) => uuid("30000000", i));
  const packageIds = Array.from({ length: packages }, (_, i) => uuid("40000000", i));

  const userObjects = userIds.map((id, i) => {
    const guest = i % 7 === 3;
    return {
      id,
      displayName: guest ? `Guest ${i}` : `User ${i}`,
      userPrincipalName: guest ? `guest${i}_partner${i % 40}.example#EXT#@contoso.onmicrosoft.com` : `user${i}@contoso.example`,
      mail: guest ? `guest${i}@partner${i % 40}.example` : `user${i}@contoso.example`,
      userType: guest ? "Guest" : "Member",
      accountEnabled: i % 53 !== 0,
      createdDateTime: "2024-01-15T09:00:00Z",
      externalUserState: guest ? (i % 5 === 0 ? "PendingAcceptance" : "Accepted") : null,
      externalUserStateChangeDateTime: guest ? "2025-06-01T10:00:00Z" : null,
      department: `Dept ${i % 30}`,
    };
  });
  fs.writeFileSync(path.join(dir, "users.json"), page("users", userObjects));
  fs.writeFileSync(
    path.join(dir, "managers.json"),
    page(
      "users(id,manager(id))",
      userIds.map((id, i) => (i > 0 && i % 7 !== 3 ? { id, manager: { id: userIds[Math.floor(i / 8)] } } : { id })),
    ),
  );
  fs.writeFileSync(
    path.join(dir, "groups.json"),
    page(
      "groups",
      groupIds.map((id, i) => ({ id, displayName: `Group ${i}`, groupTypes: [], securityEnabled: true, mailEnabled: false, isAssignableToRole: i === 0 })),
    ),
  );
  let memberships = 0;
  groupIds.forEach((gid, g) => {
    const members = new Set();
    for (let k = 0; k < 60; k++) members.add(userIds[(g * 50 + pick(120)) % users]);
    memberships += members.size;
    fs.writeFileSync(
      path.join(dir, `groupMembers-${gid}.json`),
      page("directoryObjects(id,userType)", [...members].map((id) => ({ "@odata.type": "#microsoft.graph.user", id }))),
    );
  });
  const catalogObjects = catalogIds.map((id, i) => ({ id, displayName: `Catalog ${i}`, catalogType: "userManaged", state: "published", isExternallyVisible: i === 0 }));
  fs.writeFileSync(path.join(dir, "catalogs.json"), page("identityGovernance/entitlementManagement/catalogs", catalogObjects));
  const packageObjects = packageIds.map((id, i) => {
    const group = groupIds[i % groups];
    return {
      id,
      displayName: `Package ${i}`,
      isHidden: false,
      catalog: catalogObjects[i % catalogs],
      resourceRoleScopes: [
        {
          id: `${uuid("50000000", i)}_${uuid("60000000", i)}`,
          role: { id: uuid("50000000", i), displayName: "Member", originId: `Member_${group}`, originSystem: "AadGroup" },
          scope: { id: uuid("60000000", i), displayName: "Root", originId: group, originSystem: "AadGroup", isRootScope: true },
        },
      ],
    };
  });
  fs.writeFileSync(path.join(dir, "accessPackages.json"), page("identityGovernance/entitlementManagement/accessPackages(catalog(),resourceRoleScopes(role(),scope()))", packageObjects));
  const policies = [];
  packageIds.forEach((pid, i) => {
    const approver = userIds[pick(users)];
    policies.push({
      id: uuid("70000000", 2 * i),
      displayName: `Package ${i}: employees`,
      allowedTargetScope: "specificDirectoryUsers",
      specificAllowedTargets: [{ "@odata.type": "#microsoft.graph.groupMembers", groupId: groupIds[(i * 3) % groups], description: `Group ${(i * 3) % groups}` }],
      expiration: { endDateTime: null, duration: i % 4 === 0 ? null : "P180D", type: i % 4 === 0 ? "noExpiration" : "afterDuration" },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: i % 5 !== 0,
        isApprovalRequiredForUpdate: false,
        stages: i % 5 === 0 ? [] : [{ durationBeforeAutomaticDenial: "P14D", isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: approver }], fallbackPrimaryApprovers: [] }],
      },
      accessPackage: { id: pid },
    });
    policies.push({
      id: uuid("70000000", 2 * i + 1),
      displayName: `Package ${i}: partners`,
      allowedTargetScope: i % 10 === 0 ? "allExternalUsers" : "allMemberUsers",
      specificAllowedTargets: [],
      expiration: { endDateTime: null, duration: "P365D", type: "afterDuration" },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: true,
        isApprovalRequiredForUpdate: false,
        stages: [{ durationBeforeAutomaticDenial: "P14D", isApproverJustificationRequired: false, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.requestorManager", managerLevel: 1 }], fallbackPrimaryApprovers: [] }],
      },
      accessPackage: { id: pid },
    });
  });
  fs.writeFileSync(path.join(dir, "assignmentPolicies.json"), page("identityGovernance/entitlementManagement/assignmentPolicies(accessPackage())", policies));
  const assignments = [];
  userIds.forEach((uid, u) => {
    for (let k = 0; k < 2; k++) {
      const p = pick(packages);
      const policy = policies[2 * p + (u % 7 === 3 ? 1 : 0)];
      assignments.push({
        id: uuid("80000000", 2 * u + k),
        state: "delivered",
        status: "Delivered",
        schedule: { startDateTime: "2026-03-01T09:00:00Z", expiration: { endDateTime: k ? "2026-09-01T09:00:00Z" : null, duration: null, type: k ? "afterDateTime" : "noExpiration" } },
        target: { id: uuid("90000000", u), objectId: uid, displayName: userObjects[u].displayName, principalName: userObjects[u].userPrincipalName, subjectType: "user" },
        accessPackage: { id: packageIds[p] },
        assignmentPolicy: { id: policy.id },
      });
    }
  });
  fs.writeFileSync(path.join(dir, "assignments.json"), page("identityGovernance/entitlementManagement/assignments(target(),accessPackage(),assignmentPolicy())", assignments));
  fs.writeFileSync(path.join(dir, "grantscope.toml"), 'as-of = "2026-11-01"\n');
  const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  return { users, groups, memberships, packages, policies: policies.length, assignments: assignments.length, files: fs.readdirSync(dir).length, megabytes: Math.round(bytes / 1e5) / 10 };
}
