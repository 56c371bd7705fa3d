/* The warm runtimes' bootstraps (runtimes/bootstrap/), carried inside kata-agent as NUL-terminated strings: the
 * Python template runs warm_python.py in its interpreter, a Node pool member passes warm_node.js to `node --eval`
 * (runtime.c). */
    .section .rodata
    .global bootstrap_python, bootstrap_javascript
bootstrap_python:
    .incbin BOOTSTRAP_PYTHON
    .byte 0
bootstrap_javascript:
    .incbin BOOTSTRAP_JAVASCRIPT
    .byte 0
    .section .note.GNU-stack, "", @progbits
