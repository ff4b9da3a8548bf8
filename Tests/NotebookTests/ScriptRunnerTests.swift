import Testing

@testable import Notebook

@Suite struct ScriptRunnerTests {
    @Test func percentCellMarkersSplitCells() {
        let cells = ScriptRunner.cells(of: "%set seed=1\n# %%\n%echo a\n#%% second\n%%dict d\nx y\n")
        #expect(cells == ["%set seed=1", "%echo a", "%%dict d\nx y\n"])
        #expect(ScriptRunner.cells(of: "%echo only") == ["%echo only"])
    }
}
