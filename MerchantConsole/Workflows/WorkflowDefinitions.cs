using MerchantConsole.Domain.Common;

namespace MerchantConsole.Workflows;

/// <summary>Every registered workflow kind, looked up by the kind a run carries.</summary>
public sealed class WorkflowDefinitions
{
    private readonly Dictionary<string, IWorkflowDefinition> _byKind;

    public WorkflowDefinitions(IEnumerable<IWorkflowDefinition> definitions)
    {
        _byKind = new Dictionary<string, IWorkflowDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_byKind.TryAdd(definition.Kind, definition))
                throw new InvalidOperationException($"Two workflow definitions are registered for kind {definition.Kind}.");
        }
    }

    /// <summary>The kinds in a stable order, for filters.</summary>
    public IReadOnlyList<string> Kinds => [.. _byKind.Keys.Order(StringComparer.Ordinal)];

    public IWorkflowDefinition? Find(string kind) => _byKind.GetValueOrDefault(kind);

    public IWorkflowDefinition Get(string kind) =>
        Find(kind) ?? throw new DomainException("Run.KindUnknown", "No workflow of kind {Kind} is installed.", ("Kind", kind));
}
