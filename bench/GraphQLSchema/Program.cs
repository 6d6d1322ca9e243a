using System.Diagnostics;
using System.Globalization;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Projects;
using PaperGao.GraphQL.Execution;
using PaperGao.GraphQL.Schema;

// Usage: papergao-bench-graphql-schema [rounds=30] [collections=50] [warmup=20]
// Prints the median/min/max wall time of a full build (superuser and public variants), of a rebuild after one
// collection changed (a new CollectionSet, as the API makes on every change), and the heap held per cached schema.
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var extra = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;

var set = new CollectionSet(MakeCollections(extra), 1);
var su = GraphQLAccess.For(true);
var pub = GraphQLAccess.For(false);

// The first build in the process (cold: nothing compiled yet), then a warm-up (JIT tiers, static caches; not measured).
var first = Time(() => SchemaBuilder.Build(set, su));
for (var i = 0; i < warmup; i++) { SchemaBuilder.Build(set, su); SchemaBuilder.Build(set, pub); }
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var allocBefore = GC.GetTotalAllocatedBytes(precise: true);

var full = new List<double>();
var fullPublic = new List<double>();
var changed = new List<double>();
for (var i = 0; i < rounds; i++)
{
    // A fresh set each round: nothing cached for it yet.
    var fresh = new CollectionSet(set.All, set.Version + i + 1);
    full.Add(Time(() => SchemaCache.Get(fresh, su)));
    fullPublic.Add(Time(() => SchemaCache.Get(fresh, pub)));
    // One collection changed (a field added): the API replaces the set.
    var c = fresh.All.First(x => x.Name == "extra" + (i % extra)).Clone();
    c.Fields.Add(NewField("text", "added" + i));
    var next = fresh.With(c);
    changed.Add(Time(() => SchemaCache.Get(next, su)));
}

var builds = rounds * 3;
var cpuPerBuild = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / builds;
var allocPerBuild = (GC.GetTotalAllocatedBytes(precise: true) - allocBefore) / (double)builds;

// Heap per cached schema: build and keep `keep` schemas of distinct sets.
const int keep = 10;
var kept = new List<object>(keep);
var sets = Enumerable.Range(0, keep).Select(i => new CollectionSet(set.All, 10_000 + i)).ToList();
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
GC.WaitForPendingFinalizers();
var before = GC.GetTotalMemory(forceFullCollection: true);
foreach (var s in sets) kept.Add(SchemaCache.Get(s, su));
var after = GC.GetTotalMemory(forceFullCollection: true);
GC.KeepAlive(kept);
GC.KeepAlive(sets);

Console.WriteLine($"collections={set.All.Count} rounds={rounds} warmup={warmup}");
Console.WriteLine($"first build in the process (cold) {first,7:F2} ms");
Report("build superuser", full);
Report("build public", fullPublic);
Report("rebuild after one change", changed);
Console.WriteLine($"per measured build: process CPU {cpuPerBuild:F2} ms, allocated {allocPerBuild / 1024:F0} KiB");
Console.WriteLine($"heap per cached superuser schema: {(after - before) / (double)keep / 1024:F0} KiB");

static double Time(Func<object> build)
{
    var sw = Stopwatch.StartNew();
    GC.KeepAlive(build());
    return sw.Elapsed.TotalMilliseconds;
}

static void Report(string what, List<double> ms)
{
    ms.Sort();
    Console.WriteLine($"{what,-26} median {ms[ms.Count / 2],7:F2} ms  min {ms[0],7:F2}  max {ms[^1],7:F2}");
}

static Field NewField(string type, string name, Action<Field>? set = null)
{
    var f = FieldRegistry.Create(type)!;
    f.Name = name;
    f.Id = FieldIds.For(type, name);
    set?.Invoke(f);
    return f;
}

// The default project's collections (as ProjectInitializer makes them) plus `extra` base collections like the
// GraphQLSchemaMemoryTests ones: text, number, bool, json and date fields and a relation to the previous one.
static List<Collection> MakeCollections(int extra)
{
    var all = new List<Collection>();
    var superusers = CollectionScaffolds.Create(CollectionType.Auth, ProjectInitializer.SuperusersName);
    superusers.Id = ProjectInitializer.SuperusersId;
    superusers.System = true;
    all.Add(superusers);
    var users = CollectionScaffolds.Create(CollectionType.Auth, "users");
    users.Id = ProjectInitializer.UsersId;
    users.ListRule = users.ViewRule = users.UpdateRule = users.DeleteRule = "id = @request.auth.id";
    users.CreateRule = "";
    users.Fields.Insert(users.Fields.Count - 2, NewField("text", "name"));
    all.Add(users);
    all.AddRange(SystemCollections.Create());
    string? previous = null;
    for (var i = 0; i < extra; i++)
    {
        var c = CollectionScaffolds.Create(CollectionType.Base, "extra" + i);
        c.Id = CollectionScaffolds.CollectionId(CollectionType.Base, c.Name);
        c.ListRule = c.ViewRule = "";
        c.Fields.Add(NewField("text", "a"));
        c.Fields.Add(NewField("number", "b"));
        c.Fields.Add(NewField("bool", "c"));
        c.Fields.Add(NewField("json", "d"));
        c.Fields.Add(NewField("date", "e"));
        if (previous is not null) c.Fields.Add(NewField("relation", "rel", f => { ((RelationField)f).CollectionId = previous; ((RelationField)f).MaxSelect = 1; }));
        all.Add(c);
        previous = c.Id;
    }
    return all;
}
