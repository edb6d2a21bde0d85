using MedImageCleaner.Generator;

// Regenerates the tables taken from the DICOM standard:
//   dotnet run --project src/MedImageCleaner.Generator -- <standardDir> <repoRoot>
// <standardDir> holds the innolitics/dicom-standard JSON files (see its README.md); <repoRoot> is the folder with
// MedImageCleaner.sln. Each table has one generator class in Generators/, registered in TableGenerator.
if (args.Length != 2)
{
    await Console.Error.WriteLineAsync("usage: MedImageCleaner.Generator <standardDir> <repoRoot>").ConfigureAwait(false);
    return 2;
}

try
{
    foreach (var path in TableGenerator.WriteAll(args[0], args[1]))
    {
        Console.WriteLine(path);
    }

    return 0;
}
catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 1;
}
