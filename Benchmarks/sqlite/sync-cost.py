# The cost of synchronous=FULL against NORMAL in WAL mode, at the SQLite level: commits/s of a
# transaction shaped like one SCIM create (resource row, e-mail row, sync row, audit row), each
# mode twice, alternating, on a temporary file. Usage: python3 Benchmarks/sqlite/sync-cost.py
import sqlite3, time, os, tempfile, json
payload = json.dumps({"userName":"x"*20,"name":{"givenName":"A"*10,"familyName":"B"*12},"emails":[{"value":"a@example.com","type":"work","primary":True}],"title":"Engineer"*20})
res={}
for mode in ["NORMAL","FULL","NORMAL","FULL"]:
    d=tempfile.mkdtemp(); p=os.path.join(d,"t.sqlite")
    c=sqlite3.connect(p, isolation_level=None); c.execute("PRAGMA journal_mode=WAL"); c.execute(f"PRAGMA synchronous={mode}")
    c.execute("CREATE TABLE r(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, k TEXT, a TEXT)"); c.execute("CREATE TABLE e(s INT, k TEXT)"); c.execute("CREATE TABLE s(id TEXT PRIMARY KEY, g INT)"); c.execute("CREATE TABLE au(id TEXT, at TEXT)")
    n=2000; t=time.perf_counter()
    for i in range(n):
        c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO r(id,k,a) VALUES(?,?,?)",(f"id{i}",f"k{i}",payload)); c.execute("INSERT INTO e VALUES(?,?)",(i,f"k{i}")); c.execute("INSERT INTO s VALUES(?,1)",(f"id{i}",)); c.execute("INSERT INTO au VALUES(?,?)",(f"id{i}","now")); c.execute("COMMIT")
    dt=time.perf_counter()-t; res.setdefault(mode,[]).append(n/dt)
print({k:[round(x) for x in v] for k,v in res.items()})
