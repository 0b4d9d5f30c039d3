namespace ServingBuild.Protos.Drift;

public static partial class BreakingRules
{
    private static IEnumerable<DescriptorFinding> FileSamePackage(DescriptorPairs p)
    {
        foreach (var (b, a) in p.FilePairs)
        {
            if (b.Package != a.Package)
            {
                yield return p.Change("FILE_SAME_PACKAGE", b.Name, $"package {b.Package} became {a.Package}", b, [2], a, [2]);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FileSameSyntax(DescriptorPairs p)
    {
        foreach (var (b, a) in p.FilePairs)
        {
            var was = FileSyntax.Name(b);
            var now = FileSyntax.Name(a);
            if (was != now)
            {
                yield return p.Change("FILE_SAME_SYNTAX", b.Name, $"syntax {was} became {now}", b, [12], a, [12]);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FileNoDelete(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Files)
        {
            if (a is null)
            {
                yield return new DescriptorFinding("FILE_NO_DELETE", FindingClass.Change, b.Name, "file was deleted", p.Before.Position(b, []), null);
            }
        }
    }
}
