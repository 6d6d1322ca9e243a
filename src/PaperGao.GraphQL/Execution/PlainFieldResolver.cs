using GraphQL;
using GraphQL.Resolvers;

namespace PaperGao.GraphQL.Execution;

/// <summary>A resolver that only reads its source object (no arguments, no request state): <see cref="RecordExecutionStrategy"/> runs it inline.</summary>
internal interface IPlainFieldResolver
{
    /// <summary>False when the source is not of the expected type (the strategy then takes the ordinary path).</summary>
    bool TryResolve(object? source, out object? value);
}

/// <summary>A field read from its source object alone, e.g. a record's column or a page's totalItems.</summary>
internal sealed class PlainFieldResolver<TSource>(Func<TSource, object?> read) : IFieldResolver, IPlainFieldResolver where TSource : class
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context) => new(read((TSource)context.Source!));

    public bool TryResolve(object? source, out object? value)
    {
        if (source is TSource s)
        {
            value = read(s);
            return true;
        }
        value = null;
        return false;
    }
}
