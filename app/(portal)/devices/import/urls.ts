/** Where the browser downloads the template and the export (cookie sessions may GET the API). */
export const TEMPLATE_URL = '/api/v1/devices/import/template';
export const EXPORT_URL = '/api/v1/devices/export';
