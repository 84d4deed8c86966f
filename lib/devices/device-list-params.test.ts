import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEVICE_LIST_QUERY,
  deviceListHref,
  lastPage,
  parseDeviceListParams,
  parseIdList,
} from './device-list-params';

describe('parseDeviceListParams', () => {
  it('reads every field of a good URL', () => {
    expect(
      parseDeviceListParams(
        new URLSearchParams(
          'q=+ios-1+&vendor=cisco_ios&status=offline&group=g_1&sort=changed&dir=desc&page=3&size=200',
        ),
      ),
    ).toEqual({
      q: 'ios-1',
      vendor: 'cisco_ios',
      status: 'offline',
      group: 'g_1',
      sort: 'changed',
      dir: 'desc',
      page: 3,
      pageSize: 200,
    });
  });

  it('an empty URL is the default list: first page of 50 by name', () => {
    expect(parseDeviceListParams({})).toEqual(DEFAULT_DEVICE_LIST_QUERY);
    expect(DEFAULT_DEVICE_LIST_QUERY).toMatchObject({ sort: 'name', dir: 'asc', page: 1, pageSize: 50 });
  });

  it.each([
    ['a column that is not sortable', { sort: 'secretEnc' }, { sort: 'name' }],
    ['a direction that is not one', { dir: 'sideways' }, { dir: 'asc' }],
    ['page 0', { page: '0' }, { page: 1 }],
    ['a negative page', { page: '-2' }, { page: 1 }],
    ['a page that is not a whole number', { page: '2.5' }, { page: 1 }],
    ['a page in exponent form', { page: '1e3' }, { page: 1 }],
    ['a page beyond any list', { page: '99999999' }, { page: 1 }],
    ['a page size not offered', { size: '75' }, { pageSize: 50 }],
    ['a huge page size', { size: '100000' }, { pageSize: 50 }],
    ['an unknown vendor', { vendor: 'nokia' }, { vendor: null }],
    ['an unknown status', { status: 'sleeping' }, { status: null }],
    ['a group id with SQL in it', { group: "x' OR 1=1" }, { group: null }],
  ])('%s falls back to the default', (_label, params, expected) => {
    expect(parseDeviceListParams(params)).toMatchObject(expected);
  });

  it('takes the first of repeated parameters and cuts a long search', () => {
    const r = parseDeviceListParams({ sort: ['host', 'name'], q: 'x'.repeat(500) });
    expect(r.sort).toBe('host');
    expect(r.q).toHaveLength(100);
  });
});

describe('deviceListHref', () => {
  it('names only what differs from the defaults, and round-trips', () => {
    expect(deviceListHref({})).toBe('/devices');
    expect(deviceListHref({ page: 1, pageSize: 50, sort: 'name' })).toBe('/devices');
    const q = {
      ...DEFAULT_DEVICE_LIST_QUERY,
      q: 'a b',
      group: 'g1',
      sort: 'status' as const,
      page: 4,
      pageSize: 25 as const,
    };
    const href = deviceListHref(q);
    expect(href).toBe('/devices?q=a+b&group=g1&sort=status&size=25&page=4');
    expect(parseDeviceListParams(new URL(href, 'http://x').searchParams)).toEqual(q);
  });
});

describe('lastPage and parseIdList', () => {
  it('an empty list has one page; 5,000 at 50 have 100', () => {
    expect(lastPage(0, 50)).toBe(1);
    expect(lastPage(5000, 50)).toBe(100);
    expect(lastPage(5001, 50)).toBe(101);
  });

  it('keeps valid ids once each, up to the cap', () => {
    expect(parseIdList('a,b,,a, c ,bad id,d', 10)).toEqual(['a', 'b', 'c', 'd']);
    expect(parseIdList(['a,b', 'c'], 2)).toEqual(['a', 'b']);
    expect(parseIdList(undefined, 5)).toEqual([]);
  });
});
