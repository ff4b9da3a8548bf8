"""jupyter_kernel_test's stock tests, every one enabled with real samples in the xling language."""
import unittest

import jupyter_kernel_test


class XlingKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "xling"
    language_name = "xling"
    file_extension = ".xling"

    code_hello_world = "%echo hello, world"
    code_stderr = "%echo stream=stderr something went wrong"

    completion_samples = [
        {"text": "%sl", "matches": {"%sleep"}},
        {"text": "%blas rep", "matches": {"repeat="}},
        {"text": "%echo stream=std", "matches": {"stdout", "stderr"}},
        {"text": "%help ec", "matches": {"echo"}},
    ]

    complete_code_samples = ["%echo hi", "%set seed=1\n%set seed", "# only a comment", "%echo a\n\n%echo b"]
    incomplete_code_samples = ["%echo continued \\", "%%dict en-de"]
    invalid_code_samples = ["print('python?')", '%echo "unterminated', "%"]

    code_page_something = "%sleep?"
    code_generate_error = "%slep 1"

    code_execute_result = [
        {"code": "%set seed=3\n%set seed", "result": "3"},
        {"code": "%set threads=1\n%set threads", "result": "1"},
        {"code": "%set", "mime": "text/html"},
        {"code": "%who", "mime": "application/vnd.dataresource+json"},
    ]
    code_display_data = [
        {"code": "%set seed=5\n%set seed\n%set threads", "mime": "text/plain"},
        {"code": "%sleep 0.2", "mime": "text/html"},
        {"code": "%blas sizes=32,64 repeat=1", "mime": "image/svg+xml"},
    ]

    code_history_pattern = "%set seed=3*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "%sleep"
    code_clear_output = "%echo gone\n%clear"


class XlingIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "xling"
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
