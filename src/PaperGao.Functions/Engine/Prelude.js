"use strict";
// The globals every function file sees, defined in JavaScript on top of the host object (__host).
class ApiError extends Error {
  constructor(status, message, data) {
    super(message || "Something went wrong while processing your request.");
    this.name = "ApiError";
    this.status = typeof status === "number" ? status : 400;
    this.data = data || {};
  }
}
class BadRequestError extends ApiError { constructor(message, data) { super(400, message || "Something went wrong while processing your request.", data); this.name = "BadRequestError"; } }
class UnauthorizedError extends ApiError { constructor(message, data) { super(401, message || "Missing or invalid authentication.", data); this.name = "UnauthorizedError"; } }
class ForbiddenError extends ApiError { constructor(message, data) { super(403, message || "You are not allowed to perform this request.", data); this.name = "ForbiddenError"; } }
class NotFoundError extends ApiError { constructor(message, data) { super(404, message || "The requested resource wasn't found.", data); this.name = "NotFoundError"; } }
class TooManyRequestsError extends ApiError { constructor(message, data) { super(429, message || "Too Many Requests.", data); this.name = "TooManyRequestsError"; } }
class InternalServerError extends ApiError { constructor(message, data) { super(500, message || "Something went wrong while processing your request.", data); this.name = "InternalServerError"; } }

class MailerMessage { constructor(data) { if (data) Object.assign(this, data); } }
class DynamicModel { constructor(shape) { if (shape) Object.assign(this, shape); } }
class Record { constructor(collection, data) { return __host.newRecord(collection, data === undefined ? null : data); } }

function routerAdd(method, path, handler, ...middlewares) { __host.register("route", String(method), String(path), handler, middlewares); }
function routerUse(handler) { __host.register("middleware", "*", "", handler, []); }
function cronAdd(id, schedule, handler) { __host.register("cron", String(id), String(schedule), handler, []); }
function cronRemove(id) { __host.removeCron(String(id)); }
function sleep(ms) { __host.sleep(Number(ms) || 0); }
function require(name) { return __host.require(String(name)); }

(function () {
  const hooks = [
    "onRecordCreate", "onRecordUpdate", "onRecordDelete",
    "onRecordAfterCreateSuccess", "onRecordAfterUpdateSuccess", "onRecordAfterDeleteSuccess",
    "onRecordAfterCreateError", "onRecordAfterUpdateError", "onRecordAfterDeleteError",
    "onRecordCreateRequest", "onRecordUpdateRequest", "onRecordDeleteRequest", "onRecordViewRequest", "onRecordsListRequest",
    "onRecordAuthRequest", "onRecordAuthWithPasswordRequest", "onRecordEnrich",
    "onMailerSend", "onMailerRecordPasswordResetSend", "onMailerRecordVerificationSend", "onMailerRecordEmailChangeSend",
    "onMailerRecordOTPSend", "onMailerRecordAuthAlertSend",
  ];
  for (const name of hooks) {
    globalThis[name] = function (handler, ...tags) { __host.register("hook", name, "", handler, tags.map(String)); };
  }
})();

const console = {
  log: (...args) => __host.log("info", args),
  info: (...args) => __host.log("info", args),
  debug: (...args) => __host.log("debug", args),
  warn: (...args) => __host.log("warn", args),
  error: (...args) => __host.log("error", args),
};

const $apis = {
  requireAuth: (...collections) => function (e) {
    if (!e.auth || (collections.length > 0 && !collections.includes(e.auth.collection().name))) {
      throw new UnauthorizedError("The request requires valid record authorization token.");
    }
    return e.next();
  },
  requireSuperuserAuth: () => function (e) {
    if (!e.auth) throw new UnauthorizedError("The request requires superuser authorization token.");
    if (!e.hasSuperuserAuth()) throw new ForbiddenError("The authorized record is not allowed to perform this action.");
    return e.next();
  },
  requireSuperuserOrOwnerAuth: (ownerIdParam) => function (e) {
    if (!e.auth) throw new UnauthorizedError("The request requires superuser or record authorization token.");
    if (!e.hasSuperuserAuth() && e.auth.id !== e.request.pathValue(ownerIdParam || "id")) {
      throw new ForbiddenError("The authorized record is not allowed to perform this action.");
    }
    return e.next();
  },
  requireGuestOnly: () => function (e) {
    if (e.auth) throw new BadRequestError("The request can be accessed only by guests.");
    return e.next();
  },
};
