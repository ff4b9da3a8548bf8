import Jupyter
import Testing

@testable import Notebook

@Suite struct ScriptRunnerTests {
    @Test func percentCellMarkersSplitCells() {
        let cells = ScriptRunner.cells(of: "%set seed=1\n# %%\n%echo a\n#%% second\n%%dict d\nx y\n")
        #expect(cells == ["%set seed=1", "%echo a", "%%dict d\nx y\n"])
        #expect(ScriptRunner.cells(of: "%echo only") == ["%echo only"])
    }

    @Test func markersKeepTheirTitles() {
        let cells = ScriptRunner.scriptCells(of: "# a header\n\n# %% load the data\n%echo a\n#%%\n# why\n%echo b\n")
        #expect(cells.map(\.title) == ["load the data", ""])
        #expect(cells.map(\.code) == ["%echo a", "# why\n%echo b\n"])
    }

    @Test func notebookCodeCellsInOrder() throws {
        let notebook = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# Title\\n", "%echo not code"]},
              {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ["%set lang=en\\n", "%set k=5"], "outputs": []},
              {"cell_type": "code", "metadata": {}, "source": "", "outputs": []},
              {"cell_type": "code", "metadata": {}, "source": "%echo one string", "outputs": []}
            ]}
            """
        let cells = try ScriptRunner.notebookCells(of: Array(notebook.utf8))
        #expect(cells.map(\.code) == ["%set lang=en\n%set k=5", "%echo one string"])
        #expect(cells.map(\.title) == ["notebook cell 2 parameters", "notebook cell 4"])
        #expect(throws: ScriptRunner.ScriptError.self) { try ScriptRunner.notebookCells(of: Array("[1, 2]".utf8)) }
        #expect(throws: ScriptRunner.ScriptError.self) { try ScriptRunner.notebookCells(of: Array("{not json".utf8)) }
    }

    /// Runs `cells` in memory; the text written to stdout and stderr, and the exit status.
    func run(_ cells: [String], continueOnError: Bool = false) -> (stdout: String, stderr: String, status: Int32) {
        final class Sink: @unchecked Sendable {
            var stdout = "", stderr = ""
        }
        let sink = Sink()
        let output = ScriptRunner.Output { text, fd in
            if fd == 1 { sink.stdout += text } else { sink.stderr += text }
        }
        let runner = ScriptRunner(path: "memory.xling", continueOnError: continueOnError)
        let status = runner.run(cells.map { .init(code: $0, title: "") }, stem: "memory", name: "memory.xling", output: output)
        return (sink.stdout, sink.stderr, status)
    }

    @Test func progressLinePrecedesLaterOutput() {
        let result = run(["%sleep 0.05\n%echo after the sleep", "%echo next cell"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let progress = lines.firstIndex { $0.contains("sleeping") }
        let after = lines.firstIndex { $0 == "after the sleep" }
        #expect(progress != nil && after != nil)
        if let progress, let after { #expect(progress < after) }
        #expect(lines.filter { $0.hasPrefix("# %% [") } == ["# %% [1]", "# %% [2]"])
        #expect(lines.last == "next cell")
    }

    @Test func stopsAtTheFirstFailureUnlessToldToContinue() {
        let stopped = run(["%echo first", "%slep 1", "%echo third"])
        #expect(stopped.status == 1)
        #expect(stopped.stdout.contains("first") && !stopped.stdout.contains("third"))
        #expect(stopped.stderr.contains("cell 2 of memory.xling failed"))

        let continued = run(["%echo first", "%slep 1", "%echo third", "%nope", "%echo fifth"], continueOnError: true)
        #expect(continued.status == 1)
        #expect(continued.stdout.contains("third") && continued.stdout.contains("fifth"))
        #expect(continued.stderr.contains("2 of 5 cells failed (cells 2, 4)"))
    }
}

@Suite struct ScriptRunnerParameterTests {
    @Test func parametersGoAfterTheTaggedCellQuoted() {
        let cells: [ScriptRunner.Cell] = [.init(code: "%echo a", title: ""), .init(code: "%set lang=en", title: "parameters")]
        let injected = ScriptRunner.injecting([("lang", "de"), ("note", #"say "hi" \ bye"#)], into: cells)
        #expect(injected.map(\.title) == ["", "parameters", "injected-parameters"])
        #expect(injected[2].code == "%set lang=\"de\"\n%set note=\"say \\\"hi\\\" \\\\ bye\"")
        let untagged = ScriptRunner.injecting([("k", "10")], into: [.init(code: "%echo a", title: "")])
        #expect(untagged.map(\.code) == ["%set k=\"10\"", "%echo a"])
        #expect(ScriptRunner.injecting([], into: cells) == cells)
    }
}
