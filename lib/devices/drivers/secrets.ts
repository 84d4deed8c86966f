import type { SecretRule } from './types';

/**
 * Where secrets sit in configuration output, per platform family, and how to find them in linear
 * time. Every rule captures the keywords in front of a secret as `keep` and the value as `secret`;
 * lib/automation/redact.ts keeps the keywords and puts SECRET_MARK in place of the value, so a
 * redacted line still says what was configured (`snmp-server community <secret hidden> RO`).
 *
 * Linear time: each rule starts at a line start or at a literal keyword, every gap between keywords
 * is bounded, and a value is one word or one quoted string, so a rule never rescans what it passed
 * (patterns.test.ts times each one on hostile input).
 */

/** What redaction writes in place of a secret. */
export const SECRET_MARK = '<secret hidden>';

/** A secret value: a quoted string (redaction keeps the quotes) or one word. */
const VALUE = String.raw`(?:"[^"\r\n]*"|\S+)`;
/** A Junos value: always quoted when it is a secret (`"$9$…"`, `"$6$…"`). */
const QUOTED = String.raw`"[^"\r\n]*"`;
/** Start of a configuration line and its indentation. */
const LINE = String.raw`^[ \t]{0,64}`;
/** The Cisco-style encryption type in front of a value: `0`, `5`, `7`, `9`, EOS `sha512`. */
const TYPE = String.raw`(?:[ \t]+(?:\d{1,2}|sha512|sha256))?`;
/**
 * Lines that never hold a configured secret, whatever words they use: descriptions and remarks
 * (`description password-reset-vlan`, `description cipher test`). Redaction leaves them alone.
 */
export const NOT_SECRET_LINE = /^[ \t]{0,64}(?:description|remark|alias)[ \t]/;

function rule(label: string, hints: readonly string[], keep: string, value: string = VALUE): SecretRule {
  return { label, hints, pattern: new RegExp(`(?<keep>${keep})(?<secret>${value})`, 'gm') };
}

/** A PEM private key: the BEGIN and END lines stay, the body between them goes. */
const PRIVATE_KEY_BLOCK: SecretRule = {
  ...rule(
    'private key block',
    ['PRIVATE KEY-----'],
    String.raw`-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----[ \t]*\r?\n`,
    // base64, `Proc-Type: 4,ENCRYPTED` / `DEK-Info:` headers and line breaks, up to the `-----END` line
    String.raw`(?:[A-Za-z0-9+/=:,.\s]+|-(?!----))+`,
  ),
  spansLines: true,
};

/** Rules every platform shares. */
export const COMMON_SECRETS: readonly SecretRule[] = [PRIVATE_KEY_BLOCK];

/**
 * Huawei VRP and H3C Comware: `cipher` / `irreversible-cipher` / `simple` / `hash` / `plain` in front
 * of the value, and the cipher texts themselves (`%^%#…%^%#`, `$c$3$…`, `$h$6$…`).
 */
export const HUAWEI_FAMILY_SECRETS: readonly SecretRule[] = [
  // `snmp-agent community read cipher %^%#…%^%#`, Comware `… write simple private`, old VRP `… read public`
  rule(
    'SNMP community',
    ['snmp-agent community'],
    String.raw`${LINE}snmp-agent community[ \t]+(?:read|write)[ \t]+(?:(?:cipher|simple)[ \t]+)?`,
  ),
  // `local-user admin password irreversible-cipher $1d$…$`, `radius-server shared-key cipher …`,
  // `pre-shared-key cipher …`, `peer 10.1.1.2 password cipher …`, `key authentication simple …`,
  // `snmp-agent usm-user v3 u authentication-mode sha cipher … privacy-mode aes128 cipher …`.
  // Not `ssh server cipher aes256_gcm …` (algorithms), not Comware `… cipher authentication-mode …`.
  rule(
    'cipher or simple value',
    ['cipher', 'simple'],
    String.raw`(?<!server|client|algorithm|ssl)[ \t](?:irreversible-cipher|cipher|simple)[ \t]+(?!(?:authentication-mode|plain|cipher)\b)`,
  ),
  // Comware `password hash $h$6$…`, `super password role network-admin hash $h$6$…`
  rule(
    'password hash',
    ['hash'],
    String.raw`(?:${LINE}|[ \t])password[ \t]+(?:(?:role|level)[ \t]+\S+[ \t]+)?hash[ \t]+`,
  ),
  // `ospf authentication-mode simple plain …`, `isis authentication-mode md5 plain …`
  rule('plain value', ['plain'], String.raw`[ \t]plain[ \t]+`),
  // Comware `snmp-agent usm-user v3 admin grp cipher authentication-mode sha $c$3$… privacy-mode aes128 $c$3$…`
  rule(
    'SNMPv3 authentication key',
    ['authentication-mode'],
    String.raw`${LINE}snmp-agent usm-user[ \t][^\r\n]{0,200}?[ \t]authentication-mode[ \t]+\S+[ \t]+(?:(?:cipher|simple)[ \t]+)?`,
  ),
  rule(
    'SNMPv3 privacy key',
    ['privacy-mode'],
    String.raw`${LINE}snmp-agent usm-user[ \t][^\r\n]{0,200}?[ \t]privacy-mode[ \t]+\S+[ \t]+(?:(?:cipher|simple)[ \t]+)?`,
  ),
  // Any cipher text left: VRP `%^%#…%^%#`, `%@%@…%@%@`, `%$%$…%$%$`, `%#%#…%#%#` (`security wpa2 psk
  // pass-phrase %^%#…%^%# aes`), Comware `$c$3$…` / `$h$6$…`
  rule(
    'cipher text',
    ['%^%#', '%@%@', '%$%$', '%#%#', '$c$', '$h$'],
    String.raw`[ \t]`,
    String.raw`(?:%(?:\^%#|@%@|\$%\$|#%#)|\$[ch]\$\d\$)\S+`,
  ),
];

/** Cisco IOS / IOS-XE and the platforms that speak like it (NX-OS, EOS, RGOS). */
export const IOS_FAMILY_SECRETS: readonly SecretRule[] = [
  // `enable secret 9 $9$…`, `enable password 7 0822455D0A16`, EOS `enable password sha512 $6$…`
  rule(
    'enable secret',
    ['enable'],
    String.raw`${LINE}enable[ \t]+(?:secret|password)(?:[ \t]+level[ \t]+\d{1,2})?${TYPE}[ \t]+`,
  ),
  // `username admin privilege 15 secret 9 $9$…`, NX-OS `username admin password 5 $5$…  role network-admin`
  rule(
    'user password',
    ['username'],
    String.raw`${LINE}username[ \t]+\S+(?:[ \t][^\r\n]{0,200}?)?[ \t](?:secret|password)${TYPE}[ \t]+`,
  ),
  // line vty ` password 7 …`, NX-OS BGP neighbor `    password 3 …`, EOS ` secret 0 …`; not VRP's
  // password policy (`  password history record number 0`) nor Comware's ` password hash …`
  rule(
    'indented password',
    ['password', 'secret'],
    String.raw`^[ \t]{1,64}(?:password|secret)${TYPE}[ \t]+(?!(?:hash|cipher|simple|irreversible-cipher|history|policy|expire|alert|complexity-check|min-length)\b)`,
  ),
  // `snmp-server community public RO`, NX-OS `… public group network-operator`, RGOS `… 7 06321B2B4B7B ro`
  rule(
    'SNMP community',
    ['snmp-server community'],
    String.raw`${LINE}snmp-server community[ \t]+(?:\d[ \t]+(?=(?:<secret hidden>|\S+)[ \t]+(?:[Rr][OoWw]|view)\b))?`,
  ),
  // `snmp-server host 10.0.0.1 version 2c public`; NX-OS `snmp-server host 10.0.0.1 use-vrf management` has none
  rule(
    'SNMP trap community',
    ['snmp-server host'],
    String.raw`${LINE}snmp-server host[ \t]+\S+(?:[ \t]+vrf[ \t]+\S+)?(?:[ \t]+(?:informs|traps))?(?:[ \t]+version[ \t]+(?:1|2c|3[ \t]+(?:auth|noauth|priv)))?[ \t]+(?!(?:use-vrf|filter-vrf|source-interface|informs|traps|version|vrf|udp-port)\b)`,
  ),
  // NX-OS `snmp-server user admin network-admin auth md5 0x… priv aes-128 0x… localizedkey`,
  // EOS `snmp-server user u grp v3 localized 8000… auth sha … priv aes …`
  rule(
    'SNMPv3 authentication key',
    ['snmp-server user'],
    String.raw`${LINE}snmp-server user[ \t][^\r\n]{0,200}?[ \t]auth[ \t]+(?:md5|sha(?:-?\d{3})?)[ \t]+`,
  ),
  rule(
    'SNMPv3 privacy key',
    ['snmp-server user'],
    String.raw`${LINE}snmp-server user[ \t][^\r\n]{0,200}?[ \t]priv(?:[ \t]+(?:aes(?:-?\d{3})?|3des|des)(?:[ \t]+\d{3}(?=[ \t]))?)?[ \t]+`,
  ),
  // `tacacs-server key 7 …`, `radius-server host 10.0.0.5 auth-port 1812 acct-port 1813 key 7 …`,
  // NX-OS `tacacs-server host 10.0.0.6 key 7 "…"`, IOS-XE `server-private 10.0.0.7 key 7 …`
  rule(
    'TACACS+/RADIUS key',
    ['key'],
    String.raw`${LINE}(?:tacacs-server|radius-server|server-private)(?:[ \t][^\r\n]{0,200}?)?[ \t]key${TYPE}[ \t]+`,
  ),
  // ` key 7 …` under `tacacs server X` / `radius server X`; not the key chain's ` key 1`
  rule(
    'server key',
    ['key'],
    // (nor Comware's ` key authentication cipher …`, nor a Junos `key 1 {`)
    String.raw`^[ \t]{1,64}key(?:[ \t]+\d{1,2}[ \t]+|[ \t]+(?!\d{1,10}[ \t]*(?:\{[ \t]*)?$))(?!\{|(?:authentication|accounting|authorization|cipher|simple)\b)`,
  ),
  // key chain `  key-string 7 …`, HSRP ` standby 1 authentication md5 key-string 7 … timeout 30`
  rule('key string', ['key-string'], String.raw`[ \t]key-string${TYPE}[ \t]+`),
  // `crypto isakmp key 6 … address 203.0.113.9`
  rule('ISAKMP key', ['crypto isakmp key'], String.raw`${LINE}crypto isakmp key(?:[ \t]+[06])?[ \t]+`),
  // keyring ` pre-shared-key address 203.0.113.9 key 6 …`, Comware `… 255.255.255.255 key cipher $c$3$…`
  rule(
    'pre-shared key (address)',
    ['pre-shared-key'],
    String.raw`[ \t]pre-shared-key[ \t]+address[ \t][^\r\n]{0,100}?[ \t]key(?:[ \t]+(?:\d{1,2}|cipher|simple))?[ \t]+`,
  ),
  // IKEv2 ` pre-shared-key local 6 …`, ASA ` ikev1 pre-shared-key …`, VRP ` pre-shared-key cipher …`
  rule(
    'pre-shared key',
    ['pre-shared-key'],
    String.raw`[ \t]pre-shared-key(?:[ \t]+(?:local|remote))?(?:[ \t]+(?:\d{1,2}|cipher|simple))?[ \t]+(?!(?:address|ascii-text|hexadecimal)\b)`,
  ),
  // IKEv2 profile ` authentication local pre-share key 6 …`
  rule('pre-share key', ['pre-share'], String.raw`[ \t]pre-share[ \t]+key${TYPE}[ \t]+`),
  // `ntp authentication-key 1 md5 … 7`
  rule(
    'NTP key',
    ['ntp authentication-key'],
    String.raw`${LINE}ntp authentication-key[ \t]+\d{1,10}[ \t]+(?:md5|sha1|sha2|sha256|cmac-aes-128|hmac-sha2-256)[ \t]+`,
  ),
  // ` ip ospf authentication-key 7 …`, ` ip ospf message-digest-key 1 md5 7 …`
  rule(
    'OSPF key',
    ['authentication-key'],
    String.raw`(?<!ntp)[ \t]authentication-key${TYPE}[ \t]+(?!(?:md5|sha\S*|cmac\S*|hmac\S*)\b)`,
  ),
  rule(
    'OSPF MD5 key',
    ['message-digest-key'],
    String.raw`[ \t]message-digest-key[ \t]+\d{1,3}[ \t]+md5${TYPE}[ \t]+`,
  ),
  // ` neighbor 10.0.0.2 password 7 …` (BGP)
  rule('BGP password', ['password'], String.raw`[ \t]neighbor[ \t]+\S+[ \t]+password${TYPE}[ \t]+`),
  // ` vrrp 1 authentication text …`, NX-OS HSRP `    authentication text …`, ` standby 1 authentication …`
  rule('VRRP/HSRP text', ['text'], String.raw`[ \t]authentication[ \t]+text[ \t]+`),
  rule(
    'HSRP plain authentication',
    ['standby'],
    String.raw`[ \t]standby[ \t]+\d{1,4}[ \t]+authentication[ \t]+(?!(?:md5|text)\b)`,
  ),
  // ` isis password …`, ` area-password …`, ` domain-password …`
  rule(
    'IS-IS password',
    ['password'],
    String.raw`[ \t](?:isis[ \t]+password|area-password|domain-password)[ \t]+`,
  ),
  // ` wpa-psk ascii 0 …`
  rule('WPA pre-shared key', ['wpa-psk'], String.raw`[ \t]wpa-psk[ \t]+(?:ascii|hex)(?:[ \t]+\d)?[ \t]+`),
  // ` ppp chap password 7 …`, ` ppp pap sent-username u password 7 …`
  rule(
    'PPP password',
    ['ppp'],
    String.raw`[ \t]ppp[ \t]+(?:chap|pap)[ \t](?:[^\r\n]{0,120}?[ \t])?password${TYPE}[ \t]+`,
  ),
  // `ip ftp password 7 …`, `ip http client password 7 …`
  rule(
    'client password',
    ['password'],
    String.raw`${LINE}ip[ \t]+(?:ftp|http[ \t]+client)[ \t]+password${TYPE}[ \t]+`,
  ),
];

/** Arista EOS on top of the IOS family: the root account. */
export const EOS_SECRETS: readonly SecretRule[] = [
  // `aaa root secret sha512 $6$…`
  rule('root secret', ['aaa'], String.raw`${LINE}aaa[ \t]+root[ \t]+secret${TYPE}[ \t]+`),
];

/** Ruijie RGOS on top of the IOS family: the web login. */
export const RUIJIE_SECRETS: readonly SecretRule[] = [
  // `webmaster level 0 username admin password 7 …`
  rule(
    'web password',
    ['webmaster'],
    String.raw`${LINE}webmaster[ \t][^\r\n]{0,100}?[ \t]password${TYPE}[ \t]+`,
  ),
];

/**
 * Junos: secrets are quoted and flagged `## SECRET-DATA` (`encrypted-password "$6$…"; ## SECRET-DATA`,
 * `secret "$9$…"`), in the hierarchy and in `display set` form alike; SNMP communities are names.
 */
export const JUNOS_SECRETS: readonly SecretRule[] = [
  rule(
    'quoted secret',
    ['"'],
    String.raw`[ \t](?:encrypted-password|secret|authentication-key|privacy-key|ascii-text|hexadecimal-text|hexadecimal|simple-password|hello-authentication-key|authentication-password|default-chap-secret|default-pap-password|local-password|chap-secret|pap-password|key|password)[ \t]+`,
    QUOTED,
  ),
  // `community public {` (hierarchy), `set snmp community public authorization read-only`; not the
  // BGP communities of policy-options (`community CUST members 65000:100;`, `community add CUST;`)
  rule(
    'SNMP community',
    ['community'],
    String.raw`${LINE}(?:set[ \t]+snmp[ \t]+)?community[ \t]+(?!(?:add|set|delete)\b)`,
    String.raw`(?:"[^"\r\n]*"|[^\s;{"]+)(?=[ \t]*\{|[ \t]+(?:authorization|clients|view|routing-instance|logical-system)\b)`,
  ),
  // whatever Junos flags as secret and the rules above missed
  rule(
    'flagged secret',
    ['## SECRET-DATA'],
    String.raw`[ \t]`,
    String.raw`(?:"[^"\r\n]{0,1024}"|[^\s;"]{1,1024})(?=;[ \t]{0,4}## SECRET-DATA)`,
  ),
];

/** Unknown platforms: every family's rules, with the more specific ones first. */
export const ALL_SECRETS: readonly SecretRule[] = [
  ...COMMON_SECRETS,
  ...JUNOS_SECRETS,
  ...RUIJIE_SECRETS,
  ...EOS_SECRETS,
  ...HUAWEI_FAMILY_SECRETS,
  ...IOS_FAMILY_SECRETS,
];
