#!/usr/bin/env python3
"""Writes a PocketBase 0.23+ pb_data folder for the import benchmark: an auth collection "members", a base collection
"items" (text, number, bool, multi select, json, relation, file) with N records of which F carry a file, and storage/.

  make-pb-data.py OUT_DIR [--records N] [--files F] [--members M]
"""
import argparse, json, os, random, sqlite3, string

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--records", type=int, default=100000)
p.add_argument("--files", type=int, default=1000)
p.add_argument("--file-kb", type=int, default=2, help="size of each record's file (random bytes)")
p.add_argument("--members", type=int, default=1000)
a = p.parse_args()
rnd = random.Random(7)

def rid():
    return "".join(rnd.choice(string.ascii_lowercase + string.digits) for _ in range(15))

def field(fid, name, ftype, **opts):
    f = {"id": fid, "name": name, "type": ftype, "system": False, "hidden": False, "presentable": False, "required": False}
    f.update(opts)
    return f

ID = {"id": "text3208210256", "name": "id", "type": "text", "system": True, "primaryKey": True, "required": True,
      "hidden": False, "presentable": False, "min": 15, "max": 15, "pattern": "^[a-z0-9]+$", "autogeneratePattern": "[a-z0-9]{15}"}
AUTODATES = [field("autodate2990389176", "created", "autodate", onCreate=True, onUpdate=False),
             field("autodate3332085495", "updated", "autodate", onCreate=True, onUpdate=True)]
NOW = "2025-01-02 03:04:05.678Z"

os.makedirs(a.out, exist_ok=True)
db_path = os.path.join(a.out, "data.db")
if os.path.exists(db_path):
    os.remove(db_path)
db = sqlite3.connect(db_path)
db.executescript("""
CREATE TABLE _collections (id TEXT PRIMARY KEY, system BOOLEAN DEFAULT FALSE NOT NULL, type TEXT DEFAULT 'base' NOT NULL,
  name TEXT UNIQUE NOT NULL, fields JSON DEFAULT '[]' NOT NULL, listRule TEXT DEFAULT NULL, viewRule TEXT DEFAULT NULL,
  createRule TEXT DEFAULT NULL, updateRule TEXT DEFAULT NULL, deleteRule TEXT DEFAULT NULL, options JSON DEFAULT '{}' NOT NULL,
  created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL, indexes JSON DEFAULT '[]' NOT NULL);
CREATE TABLE _params (created TEXT DEFAULT '' NOT NULL, id TEXT PRIMARY KEY NOT NULL, updated TEXT DEFAULT '' NOT NULL, value JSON DEFAULT NULL);
CREATE TABLE _migrations (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL);
CREATE TABLE members (id TEXT PRIMARY KEY NOT NULL, password TEXT NOT NULL, tokenKey TEXT NOT NULL, email TEXT DEFAULT '' NOT NULL,
  emailVisibility BOOLEAN DEFAULT FALSE NOT NULL, verified BOOLEAN DEFAULT FALSE NOT NULL, name TEXT DEFAULT '' NOT NULL,
  created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
CREATE TABLE items (id TEXT PRIMARY KEY NOT NULL, title TEXT DEFAULT '' NOT NULL, n NUMERIC DEFAULT 0 NOT NULL, flag BOOLEAN DEFAULT FALSE NOT NULL,
  tags JSON DEFAULT '[]' NOT NULL, data JSON DEFAULT NULL, owner TEXT DEFAULT '' NOT NULL, attachment TEXT DEFAULT '' NOT NULL,
  created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
""")
db.execute("INSERT INTO _params (id, value, created, updated) VALUES ('settings', ?, ?, ?)",
           (json.dumps({"meta": {"appName": "bench", "appURL": "http://localhost:8090"}}), NOW, NOW))

secret = lambda: "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(50))
auth_options = {"authRule": "", "manageRule": None, "passwordAuth": {"enabled": True, "identityFields": ["email"]},
                **{k: {"secret": secret(), "duration": d} for k, d in
                   [("authToken", 604800), ("passwordResetToken", 1800), ("emailChangeToken", 1800), ("verificationToken", 259200), ("fileToken", 180)]}}
members_fields = [ID,
    {"id": "password901924565", "name": "password", "type": "password", "system": True, "hidden": True, "required": True, "min": 8, "max": 0, "cost": 10, "pattern": ""},
    {"id": "text2504183744", "name": "tokenKey", "type": "text", "system": True, "hidden": True, "required": True, "min": 30, "max": 60, "autogeneratePattern": "[a-zA-Z0-9]{50}", "pattern": "", "primaryKey": False},
    {"id": "email3885137012", "name": "email", "type": "email", "system": True, "required": True, "hidden": False},
    {"id": "bool1547992806", "name": "emailVisibility", "type": "bool", "system": True, "hidden": False},
    {"id": "bool256245529", "name": "verified", "type": "bool", "system": True, "hidden": False},
    field("text1579384326", "name", "text", max=255), *AUTODATES]
items_fields = [ID, field("text724990059", "title", "text"), field("number1", "n", "number"), field("bool1", "flag", "bool"),
    field("select1", "tags", "select", maxSelect=3, values=["red", "green", "blue", "black"]), field("json1", "data", "json", maxSize=0),
    field("relation1", "owner", "relation", collectionId="pbc_members0001", maxSelect=1, cascadeDelete=False, minSelect=0),
    field("file1", "attachment", "file", maxSelect=1, maxSize=0, thumbs=[], protected=False), *AUTODATES]
db.execute("INSERT INTO _collections (id, type, name, fields, listRule, viewRule, options, indexes, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
           ("pbc_members0001", "auth", "members", json.dumps(members_fields), "id = @request.auth.id", "id = @request.auth.id", json.dumps(auth_options),
            json.dumps(["CREATE UNIQUE INDEX `idx_tokenKey_members` ON `members` (`tokenKey`)",
                        "CREATE UNIQUE INDEX `idx_email_members` ON `members` (`email`) WHERE `email` != ''"]), NOW, NOW))
db.execute("INSERT INTO _collections (id, type, name, fields, listRule, viewRule, options, indexes, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
           ("pbc_items000001", "base", "items", json.dumps(items_fields), "", "", "{}",
            json.dumps(["CREATE INDEX `idx_items_n` ON `items` (`n`)"]), NOW, NOW))

# One bcrypt-looking hash for every member: the import copies it as is (never hashes).
hash_ = "$2a$10$" + "".join(rnd.choice(string.ascii_letters + string.digits + "./") for _ in range(53))
members = [rid() for _ in range(a.members)]
db.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?)",
               ((m, hash_, secret(), f"m{i}@example.com", 0, 1, f"member {i}", NOW, NOW) for i, m in enumerate(members)))

storage = os.path.join(a.out, "storage", "pbc_items000001")
def rows():
    for i in range(a.records):
        r = rid()
        attachment = ""
        if i < a.files:
            attachment = f"file_{i:06d}.bin"
            d = os.path.join(storage, r)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, attachment), "wb") as f:
                f.write(rnd.randbytes(a.file_kb * 1024))
        yield (r, f"item {i}", i * 1.5, i % 2, json.dumps(rnd.sample(["red", "green", "blue", "black"], 2)),
               json.dumps({"i": i, "label": f"label {i}"}), members[i % len(members)], attachment, NOW, NOW)
db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?)", rows())
db.commit()
db.close()
print(f"{a.out}: {a.records} items ({a.files} with a file), {a.members} members")
