/**
 * The admin device picker's query and answer, shared by the Server Action and the picker (plain
 * module: no server code, no client code).
 */
export const DEVICE_PAGE_SIZE = 25;

export interface DeviceSearch {
  q: string;
  /** Zero-based. */
  page: number;
  /** With a group: each row says whether it is a member, and `scope` can narrow to members or not. */
  groupId?: string;
  scope?: 'all' | 'in' | 'out';
}

export interface DeviceRow {
  id: string;
  name: string;
  host: string;
  vendor: string;
  inGroup?: boolean;
}

export interface DevicePage {
  rows: DeviceRow[];
  total: number;
  page: number;
  pageSize: number;
}
