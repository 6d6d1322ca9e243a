using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.GraphQL.Schema;

/// <summary>One stored file of a record's file field, with what its URL needs.</summary>
public sealed record FileRef(Collection Collection, string RecordId, FileField Field, string Name);
