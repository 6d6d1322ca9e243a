// PaperGao functions: TypeScript declarations for editors (reference this file from a jsconfig/tsconfig or with
// /// <reference path="types.d.ts" />). The names and shapes follow PocketBase's pb_hooks JSVM.

declare class ApiError extends Error { constructor(status?: number, message?: string, data?: Record<string, { code: string; message: string }>); status: number; data: any }
declare class BadRequestError extends ApiError { constructor(message?: string, data?: any) }
declare class UnauthorizedError extends ApiError { constructor(message?: string, data?: any) }
declare class ForbiddenError extends ApiError { constructor(message?: string, data?: any) }
declare class NotFoundError extends ApiError { constructor(message?: string, data?: any) }
declare class TooManyRequestsError extends ApiError { constructor(message?: string, data?: any) }
declare class InternalServerError extends ApiError { constructor(message?: string, data?: any) }
declare class DynamicModel { constructor(shape?: object); [key: string]: any }

interface PgCollection { id: string; name: string; type: "base" | "auth" | "view"; system: boolean; listRule: string | null; viewRule: string | null; createRule: string | null; updateRule: string | null; deleteRule: string | null; fieldNames(): string[]; isAuth(): boolean; isView(): boolean; isBase(): boolean }

declare class Record {
  constructor(collection: PgCollection | string, data?: object)
  id: string
  collection(): PgCollection
  tableName(): string
  isNew(): boolean
  original(): Record | null
  get(field: string): any
  set(field: string, value: any): void
  load(data: object): void
  getString(field: string): string
  getInt(field: string): number
  getFloat(field: string): number
  getBool(field: string): boolean
  getStringSlice(field: string): string[]
  email(): string
  setEmail(email: string): void
  verified(): boolean
  setVerified(v: boolean): void
  setPassword(password: string): void
  validatePassword(password: string): boolean
  publicExport(): object
  /** Leaves fields (or "expand") out of what clients see (onRecordEnrich, e.json(record)). */
  hide(...fields: string[]): Record
  /** Shows fields again, also fields the collection marks hidden (never password or tokenKey). */
  unhide(...fields: string[]): Record
  /** Allows set() of names that are not fields: they are added to the output. */
  withCustomData(allow: boolean): Record
}

interface PgLogger { debug(msg: string, ...attrs: any[]): void; info(msg: string, ...attrs: any[]): void; warn(msg: string, ...attrs: any[]): void; error(msg: string, ...attrs: any[]): void }

interface PgApp {
  findRecordById(collection: PgCollection | string, id: string): Record
  findFirstRecordByData(collection: PgCollection | string, field: string, value: any): Record
  findFirstRecordByFilter(collection: PgCollection | string, filter: string, params?: object): Record
  findRecordsByFilter(collection: PgCollection | string, filter: string, sort?: string, limit?: number, offset?: number, params?: object): Record[]
  countRecords(collection: PgCollection | string, filter?: string, params?: object): number
  findCollectionByNameOrId(nameOrId: string): PgCollection
  save(record: Record): void
  delete(record: Record): void
  runInTransaction(fn: (txApp: PgApp) => void): void
  logger(): PgLogger
  /** Sends through the project's mailer (SMTP, or the local mail program while SMTP is off) and the onMailerSend hooks. */
  newMailClient(): PgMailClient
  /** An $app whose finders and writes apply the collections' API rules for this caller (null = guest). */
  asUser(auth: Record | null): PgApp
}
declare const $app: PgApp

interface PgRequest { method: string; host: string; remoteAddr: string; url: { path: string; rawQuery: string; query(): { get(name: string): string; has(name: string): boolean } }; header: { get(name: string): string }; pathValue(name: string): string }

interface RequestEvent {
  request: PgRequest
  auth: Record | null
  app: PgApp
  next(): void
  json(status: number, data: any): void
  string(status: number, text: string): void
  html(status: number, html: string): void
  blob(status: number, contentType: string, bytes: number[] | string): void
  noContent(status: number): void
  redirect(status: number, url: string): void
  requestInfo(): { method: string; context: string; query: { [k: string]: string }; headers: { [k: string]: string }; body: { [k: string]: any }; auth: Record | null }
  bindBody(target: object): void
  hasSuperuserAuth(): boolean
  isTLS(): boolean
  realIP(): string
  set(key: string, value: any): void
  get(key: string): any
}
interface RecordEvent { record: Record; collection: PgCollection; app: PgApp; error: string; next(): void }
interface RecordRequestEvent extends RequestEvent { record: Record | null; collection: PgCollection; authMethod: string }

declare function routerAdd(method: string, path: string, handler: (e: RequestEvent) => any, ...middlewares: Array<(e: RequestEvent) => any>): void
declare function routerUse(handler: (e: RequestEvent) => any): void
declare function cronAdd(id: string, schedule: string, handler: () => void): void
declare function cronRemove(id: string): void
declare function sleep(ms: number): void
declare function require(path: string): any

declare function onRecordCreate(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordUpdate(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordDelete(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterCreateSuccess(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterUpdateSuccess(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterDeleteSuccess(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterCreateError(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterUpdateError(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordAfterDeleteError(handler: (e: RecordEvent) => void, ...collections: string[]): void
declare function onRecordCreateRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordUpdateRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordDeleteRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordViewRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordsListRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordAuthRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
declare function onRecordAuthWithPasswordRequest(handler: (e: RecordRequestEvent) => void, ...collections: string[]): void
interface RequestInfo { method: string; context: string; query: { [k: string]: string }; headers: { [k: string]: string }; body: { [k: string]: any }; auth: Record | null }
interface RecordEnrichEvent { record: Record; collection: PgCollection; app: PgApp; requestInfo: RequestInfo; next(): void }
/** Every record on its way to a client (view, list, expand, create/update and auth responses, realtime): change, hide or add values. */
declare function onRecordEnrich(handler: (e: RecordEnrichEvent) => void, ...collections: string[]): void

interface MailAddress { address: string; name?: string }
/** An attachment: text (sent as UTF-8), bytes, or {base64 | text, contentType}. */
type MailAttachmentContent = string | number[] | { base64?: string; text?: string; contentType?: string }
/** A mail: to needs at least one address; from defaults to the project's sender. In the mailer hooks every assignment changes the mail (attachments read back as {contentType, base64}). */
interface MailerMessageData { from?: MailAddress; to: MailAddress[]; cc?: MailAddress[]; bcc?: MailAddress[]; subject: string; html?: string; text?: string; headers?: { [name: string]: string }; attachments?: { [fileName: string]: MailAttachmentContent } }
declare class MailerMessage implements MailerMessageData { constructor(data: MailerMessageData); from?: MailAddress; to: MailAddress[]; cc?: MailAddress[]; bcc?: MailAddress[]; subject: string; html?: string; text?: string; headers?: { [name: string]: string }; attachments?: { [fileName: string]: MailAttachmentContent } }
interface PgMailClient { send(message: MailerMessage | MailerMessageData): void }
interface MailerEvent { message: MailerMessage; app: PgApp; next(): void }
interface MailerRecordEvent extends MailerEvent { record: Record }
declare function onMailerSend(handler: (e: MailerEvent) => void): void
declare function onMailerRecordPasswordResetSend(handler: (e: MailerRecordEvent) => void, ...collections: string[]): void
declare function onMailerRecordVerificationSend(handler: (e: MailerRecordEvent) => void, ...collections: string[]): void
declare function onMailerRecordEmailChangeSend(handler: (e: MailerRecordEvent) => void, ...collections: string[]): void
declare function onMailerRecordOTPSend(handler: (e: MailerRecordEvent) => void, ...collections: string[]): void
declare function onMailerRecordAuthAlertSend(handler: (e: MailerRecordEvent) => void, ...collections: string[]): void

declare const $apis: {
  requireAuth(...collections: string[]): (e: RequestEvent) => void
  requireSuperuserAuth(): (e: RequestEvent) => void
  requireSuperuserOrOwnerAuth(ownerIdParam?: string): (e: RequestEvent) => void
  requireGuestOnly(): (e: RequestEvent) => void
}
declare const $security: {
  randomString(length: number): string
  randomStringWithAlphabet(length: number, alphabet: string): string
  pseudorandomString(length: number): string
  md5(text: string): string
  sha256(text: string): string
  sha512(text: string): string
  hs256(text: string, secret: string): string
  hs512(text: string, secret: string): string
  equal(a: string, b: string): boolean
  createJWT(payload: object, signingKey: string, durationSeconds: number): string
  parseJWT(token: string, verificationKey: string): { [claim: string]: any }
}
declare const $http: {
  send(config: { url: string; method?: string; body?: any; headers?: { [k: string]: string }; timeout?: number }): { statusCode: number; headers: { [k: string]: string[] }; cookies: { [k: string]: string }; raw: string; body: number[]; json: any }
}
declare const $os: { getenv(name: string): string }
declare const $mails: {
  sendRecordPasswordReset(app: PgApp, authRecord: Record): void
  sendRecordVerification(app: PgApp, authRecord: Record): void
  sendRecordChangeEmail(app: PgApp, authRecord: Record, newEmail: string): void
  /** The collection's OTP mail with that code; the OTP record (if any, and not sent elsewhere yet) gets "sentTo". */
  sendRecordOTP(app: PgApp, authRecord: Record, otpId: string, pass: string): void
  /** The collection's new-login alert mail; `info` (one line, escaped) replaces {ALERT_INFO}. */
  sendRecordAuthAlert(app: PgApp, authRecord: Record, info: string): void
}
declare const $push: {
  send(message: { users?: string[]; topic?: string; collection?: string; filter?: string; title: string; body?: string; data?: { [k: string]: any }; badge?: number; sound?: string; ttl?: number; urgency?: "very-low" | "low" | "normal" | "high"; collapseKey?: string; dryRun?: boolean }): { id?: string; status?: string; recipients?: number; dryRun?: boolean; deferred?: boolean; [k: string]: any }
}
declare const console: { log(...a: any[]): void; info(...a: any[]): void; debug(...a: any[]): void; warn(...a: any[]): void; error(...a: any[]): void }
