import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { getIn } from '../../lib/values.js';
import { CATALOG } from '../index.js';
import { backstage, catalogLocationUrl } from './backstage.js';

function platformWith(components: string, repo = 'https://git.example.com/platform/gitops.git') {
  return resolvePlatform(parseConfig(starterConfig().replace('components: {}', components).replace('https://git.example.com/platform/gitops.git', repo), 'plinth.yaml'), CATALOG);
}

describe('backstage', () => {
  it('is off by default and on when enabled', () => {
    expect(platformWith('components: {}').enabled).not.toContain('backstage');
    expect(platformWith('components:\n  backstage:\n    enabled: true').enabled).toContain('backstage');
  });

  it('reads catalog/all.yaml of the GitOps repository, with a pinned image and its state in memory', () => {
    const platform = platformWith('components:\n  backstage:\n    enabled: true', 'https://github.com/acme/gitops.git');
    const u = buildUnit(backstage, componentContext(platform, CATALOG));
    expect(getIn(u.values, 'backstage.appConfig.catalog.locations')).toEqual([{ type: 'url', target: 'https://github.com/acme/gitops/blob/main/catalog/all.yaml' }]);
    expect(getIn(u.values, 'backstage.appConfig.backend.reading.allow')).toEqual([{ host: 'github.com' }]);
    expect(getIn(u.values, 'backstage.image.tag')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(getIn(u.values, 'postgresql.enabled')).toBe(false);
    expect(getIn(u.values, 'backstage.appConfig.backend.database')).toEqual({ client: 'better-sqlite3', connection: ':memory:' });
    expect(u.endpoints).toEqual([{ name: 'backstage', title: 'Backstage', host: 'backstage.idp.local', service: 'backstage', port: 7007 }]);
  });

  it('derives the Location URL for GitHub, GitLab and other hosts, from https and ssh remotes', () => {
    expect(catalogLocationUrl('git@github.com:acme/gitops.git', 'main').url).toBe('https://github.com/acme/gitops/blob/main/catalog/all.yaml');
    expect(catalogLocationUrl('https://gitlab.com/acme/gitops.git', 'prod').url).toBe('https://gitlab.com/acme/gitops/-/blob/prod/catalog/all.yaml');
    expect(catalogLocationUrl('ssh://git@git.example.com/platform/gitops.git', 'main')).toEqual({ url: 'https://git.example.com/platform/gitops/raw/branch/main/catalog/all.yaml', host: 'git.example.com' });
  });
});
